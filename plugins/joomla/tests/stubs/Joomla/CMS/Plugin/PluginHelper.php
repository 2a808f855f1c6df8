<?php

declare(strict_types=1);

namespace Joomla\CMS\Plugin;

/** getPlugin() answers what the test put in $plugins, as Joomla's row object. */
abstract class PluginHelper
{
    /** @var array<string, object> "type/name" => row */
    public static array $plugins = [];

    public static function getPlugin($type, $plugin = null)
    {
        return self::$plugins[$type . '/' . $plugin] ?? [];
    }
}
