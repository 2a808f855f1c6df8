<?php

declare(strict_types=1);

namespace Joomla\CMS\Form;

use Joomla\Registry\Registry;

/** Joomla's base form rule: a regular expression test, which subclasses override. */
class FormRule
{
    /** @var string */
    protected $regex;

    /** @var string */
    protected $modifiers = '';

    public function test(\SimpleXMLElement $element, $value, $group = null, ?Registry $input = null, ?Form $form = null)
    {
        if (empty($this->regex)) {
            throw new \UnexpectedValueException(sprintf('%s has invalid regex.', \get_class($this)));
        }

        return (bool) preg_match(\chr(1) . $this->regex . \chr(1) . $this->modifiers, (string) $value);
    }
}
