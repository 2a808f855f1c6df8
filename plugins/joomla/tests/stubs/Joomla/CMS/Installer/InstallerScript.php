<?php

declare(strict_types=1);

namespace Joomla\CMS\Installer;

/** Joomla's base installer script: preflight() refuses a too old PHP or Joomla. */
class InstallerScript
{
    protected $minimumPhp;
    protected $minimumJoomla;

    public function getMinimums(): array
    {
        return ['php' => $this->minimumPhp, 'joomla' => $this->minimumJoomla];
    }
}
