<?php

declare(strict_types=1);

namespace Joomla\CMS\Extension;

interface PluginInterface
{
}
