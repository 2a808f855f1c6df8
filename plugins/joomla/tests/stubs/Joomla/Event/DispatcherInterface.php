<?php

declare(strict_types=1);

namespace Joomla\Event;

interface DispatcherInterface
{
}
