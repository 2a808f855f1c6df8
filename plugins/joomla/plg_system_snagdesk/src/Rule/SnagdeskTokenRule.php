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
 * validate="SnagdeskToken": the widget token must be one the loader accepts, else the
 * plugin prints nothing and the widget silently disappears from every page.
 */
final class SnagdeskTokenRule extends FormRule
{
    public function test(\SimpleXMLElement $element, $value, $group = null, ?Registry $input = null, ?Form $form = null)
    {
        $token = trim((string) $value);

        if ($token === '') {
            throw new \UnexpectedValueException(Text::_('PLG_SYSTEM_SNAGDESK_TOKEN_ERROR_EMPTY'));
        }

        if (Snippet::token($token) === null) {
            throw new \UnexpectedValueException(Text::_('PLG_SYSTEM_SNAGDESK_TOKEN_ERROR_INVALID'));
        }

        return true;
    }
}
