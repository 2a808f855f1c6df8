<?php

declare(strict_types=1);

namespace Joomla\CMS\WebAsset;

/**
 * Records registerAndUseScript() calls. render() writes the tags as Joomla's
 * ScriptsRenderer does for an HTML5 document: dependencies first, the version appended
 * unless empty, boolean attributes bare, others htmlspecialchars(ENT_COMPAT, UTF-8).
 */
class WebAssetManager
{
    /** @var array<string, array{uri: string, options: array, attributes: array, dependencies: array}> */
    public array $scripts = [];

    public function registerAndUseScript(string $name, string $uri, array $options = [], array $attributes = [], array $dependencies = [])
    {
        $this->scripts[$name] = [
            'uri'          => $uri,
            'options'      => $options,
            'attributes'   => $attributes,
            'dependencies' => $dependencies,
        ];

        return $this;
    }

    public function render(string $mediaVersion = 'abc123'): string
    {
        $html = '';
        $done = [];
        $emit = function (string $name) use (&$emit, &$done, &$html, $mediaVersion): void {
            if (isset($done[$name])) {
                return;
            }

            $done[$name] = true;
            $script      = $this->scripts[$name];

            foreach ($script['dependencies'] as $dependency) {
                $emit($dependency);
            }

            $src     = $script['uri'];
            $version = \array_key_exists('version', $script['options']) ? (string) $script['options']['version'] : 'auto';

            if ($version !== '' && !str_contains($src, '?')) {
                $src .= '?' . ($version === 'auto' ? $mediaVersion : $version);
            }

            $html .= '<script src="' . htmlspecialchars($src) . '"';

            foreach ($script['attributes'] as $attribute => $value) {
                if ((\in_array($attribute, ['defer', 'async'], true) && !$value) || $value === false) {
                    continue;
                }

                $html .= ' ' . htmlspecialchars((string) $attribute, ENT_COMPAT, 'UTF-8');

                if ($value !== true && !\in_array($attribute, ['defer', 'async', 'nomodule'], true)) {
                    $html .= '="' . htmlspecialchars((string) $value, ENT_COMPAT, 'UTF-8') . '"';
                }
            }

            $html .= '></script>' . "\n";
        };

        foreach (array_keys($this->scripts) as $name) {
            $emit($name);
        }

        return $html;
    }
}
