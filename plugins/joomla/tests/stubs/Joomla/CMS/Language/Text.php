<?php

declare(strict_types=1);

namespace Joomla\CMS\Language;

/**
 * Joomla's translator: the loaded strings by key, the key itself when it is unknown.
 * load() reads a language file as Joomla does (parse_ini_file, INI_SCANNER_RAW).
 */
abstract class Text
{
    /** @var array<string, string> Joomla's own strings the plugin's code paths show */
    private static array $strings = [
        'JLIB_FORM_VALIDATE_FIELD_REQUIRED' => 'Field required: %s',
        'JLIB_FORM_VALIDATE_FIELD_INVALID'  => 'Invalid field: %s',
    ];

    public static function load(string $iniFile): void
    {
        self::$strings = (parse_ini_file($iniFile, false, INI_SCANNER_RAW) ?: []) + self::$strings;
    }

    public static function _($string)
    {
        return self::$strings[strtoupper((string) $string)] ?? (string) $string;
    }

    public static function sprintf($string, ...$args)
    {
        return sprintf(self::_($string), ...$args);
    }
}
