<?php

/**
 * @package     Snagdesk.Plugin
 * @subpackage  System.snagdesk
 * @license     GPL-2.0-or-later
 *
 * Refuses the install on a PHP or Joomla too old for the plugin, before any file is
 * copied: a system plugin that does not parse would break every page. Kept to syntax any
 * PHP parses, for that reason.
 */

// phpcs:disable PSR1.Files.SideEffects
\defined('_JEXEC') or die;
// phpcs:enable PSR1.Files.SideEffects

use Joomla\CMS\Factory;
use Joomla\CMS\Installer\InstallerScript;
use Joomla\CMS\Language\Text;

class PlgSystemSnagdeskInstallerScript extends InstallerScript
{
    /** @var string */
    protected $minimumPhp = '8.1.0';

    /** @var string */
    protected $minimumJoomla = '4.2.0';

    /**
     * Joomla installs a plugin disabled: say so after a first install, or the admin
     * fills in the options and still sees no widget. An update keeps the admin's choice.
     *
     * @param string $type   install, discover_install, update or uninstall
     * @param object $parent the installer adapter
     *
     * @return bool
     */
    public function postflight($type, $parent)
    {
        if (\in_array($type, ['install', 'discover_install'], true)) {
            Factory::getApplication()->enqueueMessage(Text::_('PLG_SYSTEM_SNAGDESK_POSTFLIGHT_NOT_ENABLED'), 'warning');
        }

        return true;
    }
}
