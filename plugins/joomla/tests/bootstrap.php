<?php

/**
 * PHPUnit bootstrap: the stand-in Joomla classes from stubs/, and the plugin's classes
 * under the namespace its manifest declares (so a wrong <namespace> fails the tests).
 */

declare(strict_types=1);

\define('_JEXEC', 1);

const PLUGIN_DIR = __DIR__ . '/../plg_system_snagdesk';

$manifest  = simplexml_load_file(PLUGIN_DIR . '/snagdesk.xml');
$namespace = trim((string) $manifest->namespace) . '\\';
$source    = PLUGIN_DIR . '/' . trim((string) $manifest->namespace['path']) . '/';

spl_autoload_register(static function (string $class) use ($namespace, $source): void {
    if (str_starts_with($class, $namespace)) {
        $file = $source . str_replace('\\', '/', substr($class, \strlen($namespace))) . '.php';
    } elseif (str_starts_with($class, 'Joomla\\')) {
        $file = __DIR__ . '/stubs/' . str_replace('\\', '/', $class) . '.php';
    } else {
        return;
    }

    if (is_file($file)) {
        require $file;
    }
});

// The English strings, as Joomla loads the plugin's language files.
Joomla\CMS\Language\Text::load(PLUGIN_DIR . '/language/en-GB/plg_system_snagdesk.ini');
Joomla\CMS\Language\Text::load(PLUGIN_DIR . '/language/en-GB/plg_system_snagdesk.sys.ini');

require __DIR__ . '/Unit/PluginTestCase.php';
