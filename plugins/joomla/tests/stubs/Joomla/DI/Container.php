<?php

declare(strict_types=1);

namespace Joomla\DI;

/** set() a value or a factory (called with the container), get() it. */
class Container
{
    /** @var array<string, mixed> */
    private array $items = [];

    public function set($key, $value, $shared = false, $protected = false)
    {
        $this->items[$key] = $value;

        return $this;
    }

    public function get($resourceName)
    {
        if (!\array_key_exists($resourceName, $this->items)) {
            throw new \RuntimeException('Resource not found: ' . $resourceName);
        }

        $item = $this->items[$resourceName];

        return $item instanceof \Closure ? $item($this) : $item;
    }
}
