<?php

/**
 * @package     Snagdesk.Plugin
 * @subpackage  System.snagdesk
 * @license     GPL-2.0-or-later
 */

declare(strict_types=1);

namespace Snagdesk\Plugin\System\Snagdesk\Rule;

use Joomla\CMS\Form\Form;
use Joomla\CMS\Form\FormRule;
use Joomla\CMS\Language\Text;
use Joomla\Registry\Registry;
use Snagdesk\Plugin\System\Snagdesk\Snippet;

// phpcs:disable PSR1.Files.SideEffects
\defined('_JEXEC') or die;
// phpcs:enable PSR1.Files.SideEffects

/**
 * validate="SnagdeskUrl": the Snagdesk URL must be one the plugin can build the loader from.
 *
 * Each refusal says why, as the message of the exception Joomla shows next to the field.
 * The field is filtered with "trim" only: Joomla's "url" filter would turn a URL without
 * a scheme into http://…, which is refused here instead.
 */
final class SnagdeskUrlRule extends FormRule
{
    public function test(\SimpleXMLElement $element, $value, $group = null, ?Registry $input = null, ?Form $form = null)
    {
        $url = trim((string) $value);

        if ($url === '') {
            throw new \UnexpectedValueException(Text::_('PLG_SYSTEM_SNAGDESK_URL_ERROR_EMPTY'));
        }

        if (!preg_match('#^https?://#i', $url)) {
            throw new \UnexpectedValueException(Text::_('PLG_SYSTEM_SNAGDESK_URL_ERROR_SCHEME'));
        }

        if (Snippet::baseUrl($url) === null) {
            throw new \UnexpectedValueException(Text::_('PLG_SYSTEM_SNAGDESK_URL_ERROR_INVALID'));
        }

        return true;
    }
}
