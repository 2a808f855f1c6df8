<?php

declare(strict_types=1);

namespace Joomla\Event;

final class Dispatcher implements DispatcherInterface
{
}
