<?php

declare(strict_types=1);

namespace Joomla\CMS\Form\Rule;

use Joomla\CMS\Form\Form;
use Joomla\CMS\Form\FormRule;
use Joomla\Registry\Registry;

/** validate="options": the value is one of the field's <option> values (empty is allowed). */
class OptionsRule extends FormRule
{
    public function test(\SimpleXMLElement $element, $value, $group = null, ?Registry $input = null, ?Form $form = null)
    {
        if ($value === '' || $value === null) {
            return true;
        }

        foreach ($element->option as $option) {
            if ((string) $option['value'] === (string) $value) {
                return true;
            }
        }

        return false;
    }
}
