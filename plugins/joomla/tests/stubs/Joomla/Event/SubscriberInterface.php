<?php

declare(strict_types=1);

namespace Joomla\Event;

interface SubscriberInterface
{
    /** @return array<string, string|array> */
    public static function getSubscribedEvents(): array;
}
