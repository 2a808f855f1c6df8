<?php

declare(strict_types=1);

namespace Joomla\CMS;

use Joomla\CMS\Application\CMSApplicationInterface;

abstract class Factory
{
    public static ?CMSApplicationInterface $application = null;

    public static function getApplication(): CMSApplicationInterface
    {
        if (self::$application === null) {
            throw new \Exception('Failed to start application');
        }

        return self::$application;
    }
}
