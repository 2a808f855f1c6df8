<?php

/**
 * @package     Snagdesk.Plugin
 * @subpackage  System.snagdesk
 * @license     GPL-2.0-or-later
 */

declare(strict_types=1);

namespace Snagdesk\Plugin\System\Snagdesk;

// phpcs:disable PSR1.Files.SideEffects
\defined('_JEXEC') or die;
// phpcs:enable PSR1.Files.SideEffects

/**
 * The widget snippet's values, checked: pure, no Joomla class involved.
 *
 * Mirrors docs/widget-api.md: <script src="BASE/widget/v1/loader.js" data-token="wt_…">,
 * optional data-lang, data-name and data-email. Anything that does not check out gives null (no widget) rather
 * than a tag the loader would refuse.
 */
final class Snippet
{
    public const LOADER_PATH = '/widget/v1/loader.js';

    /** `wt_` and 24 URL-safe characters. */
    public const TOKEN_PATTERN = '/^wt_[A-Za-z0-9_-]{24}$/';

    /**
     * The Snagdesk base URL ("https://desk.example.com" or with a path prefix), without a
     * trailing slash; a pasted loader URL or ".../widget/v1/" is accepted too.
     */
    public static function baseUrl(string $url): ?string
    {
        $url = trim($url);

        if ($url === '' || preg_match('/[\s"\'<>\\\\`]/', $url)) {
            return null;
        }

        $url = preg_replace('#/widget/v1(/loader\.js)?/?$#', '', $url) ?? $url;
        $url = rtrim($url, '/');
        $parts = parse_url($url);

        if (
            !\is_array($parts)
            || !\in_array(strtolower($parts['scheme'] ?? ''), ['https', 'http'], true)
            || ($parts['host'] ?? '') === ''
            || isset($parts['user']) || isset($parts['pass']) || isset($parts['query']) || isset($parts['fragment'])
        ) {
            return null;
        }

        return strtolower($parts['scheme']) . '://' . strtolower($parts['host'])
            . (isset($parts['port']) ? ':' . $parts['port'] : '')
            . ($parts['path'] ?? '');
    }

    public static function loaderUrl(string $baseUrl): ?string
    {
        $base = self::baseUrl($baseUrl);

        return $base === null ? null : $base . self::LOADER_PATH;
    }

    public static function token(string $token): ?string
    {
        $token = trim($token);

        return preg_match(self::TOKEN_PATTERN, $token) ? $token : null;
    }

    /** A BCP 47-looking tag ("fr-FR"), else null: the widget picks by primary subtag. */
    public static function language(string $tag): ?string
    {
        $tag = trim($tag);

        return preg_match('/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/', $tag) ? $tag : null;
    }

    /**
     * The data-name / data-email attributes for a logged-in user: raw values (the
     * WebAssetManager escapes attributes when it renders the tag), each only when usable.
     *
     * @return array<string, string>
     */
    public static function identity(string $name, string $email): array
    {
        $attributes = [];
        $name       = trim(preg_replace('/[\x00-\x1F\x7F]+/u', ' ', $name) ?? '');
        $email      = trim($email);

        if ($name !== '') {
            $attributes['data-name'] = mb_substr($name, 0, 255);
        }

        if ($email !== '' && filter_var($email, FILTER_VALIDATE_EMAIL) !== false) {
            $attributes['data-email'] = $email;
        }

        return $attributes;
    }
}
