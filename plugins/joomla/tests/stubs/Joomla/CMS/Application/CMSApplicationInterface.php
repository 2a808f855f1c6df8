<?php

declare(strict_types=1);

namespace Joomla\CMS\Application;


interface CMSApplicationInterface
{
    public function isClient($identifier);

    public function getIdentity();

    public function enqueueMessage($msg, $type = 'message');
}
