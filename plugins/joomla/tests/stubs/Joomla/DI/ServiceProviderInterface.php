<?php

declare(strict_types=1);

namespace Joomla\DI;

interface ServiceProviderInterface
{
    public function register(Container $container);
}
