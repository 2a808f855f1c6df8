<?php

declare(strict_types=1);

namespace Joomla\CMS\Form\Rule;

use Joomla\CMS\Form\Form;
use Joomla\CMS\Form\FormRule;
use Joomla\Registry\Registry;

/**
 * validate="url", as Joomla's: empty passes unless required; a scheme from the schemes
 * attribute and, for http(s), a host. (Kept so that the manifest's earlier url field can be
 * checked against the same form.)
 */
class UrlRule extends FormRule
{
    public function test(\SimpleXMLElement $element, $value, $group = null, ?Registry $input = null, ?Form $form = null)
    {
        $required = \in_array((string) $element['required'], ['true', 'required'], true);

        if (!$required && empty($value)) {
            return true;
        }

        $parts = parse_url((string) $value);

        if (!\is_array($parts) || !isset($parts['scheme'])) {
            return false;
        }

        $schemes = (string) $element['schemes'] !== '' ? explode(',', (string) $element['schemes']) : ['http', 'https', 'ftp', 'mailto'];

        if (!\in_array(strtolower($parts['scheme']), array_map('trim', $schemes), true)) {
            return false;
        }

        return !\in_array($parts['scheme'], ['http', 'https'], true) || ($parts['host'] ?? '') !== '';
    }
}
