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

use Joomla\CMS\Installer\InstallerScript;

class PlgSystemSnagdeskInstallerScript extends InstallerScript
{
    /** @var string */
    protected $minimumPhp = '8.1.0';

    /** @var string */
    protected $minimumJoomla = '4.2.0';
}
