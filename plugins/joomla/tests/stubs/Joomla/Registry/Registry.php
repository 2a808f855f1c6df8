<?php

declare(strict_types=1);

namespace Joomla\Registry;

/** Flat parameters: get() with a default, toArray(); built from an array or a JSON string. */
class Registry
{
    /** @var array<string, mixed> */
    private array $data;

    public function __construct($data = null)
    {
        if (\is_string($data)) {
            $data = $data === '' ? [] : json_decode($data, true, 512, JSON_THROW_ON_ERROR);
        }

        $this->data = \is_array($data) ? $data : [];
    }

    public function get(string $path, $default = null)
    {
        return \array_key_exists($path, $this->data) && $this->data[$path] !== null ? $this->data[$path] : $default;
    }

    /** @return array<string, mixed> */
    public function toArray(): array
    {
        return $this->data;
    }
}
