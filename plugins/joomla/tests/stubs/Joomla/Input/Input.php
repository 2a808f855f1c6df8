<?php

declare(strict_types=1);

namespace Joomla\Input;

/** The request's values; get() applies the 'cmd' filter the plugin asks for. */
class Input
{
    /** @param array<string, mixed> $data */
    public function __construct(private array $data = [])
    {
    }

    public function get($name, $default = null, $filter = 'cmd')
    {
        if (!\array_key_exists($name, $this->data)) {
            return $default;
        }

        $value = (string) $this->data[$name];

        return $filter === 'cmd' ? preg_replace('/[^A-Z0-9_\.-]/i', '', $value) : $value;
    }
}
