<?php

declare(strict_types=1);

namespace Joomla\CMS\Plugin;

use Joomla\CMS\Application\CMSApplicationInterface;
use Joomla\CMS\Extension\PluginInterface;
use Joomla\Event\DispatcherInterface;
use Joomla\Registry\Registry;

/** As Joomla 4.2+: params from $config['params'] (JSON string or Registry), an application. */
abstract class CMSPlugin implements PluginInterface
{
    /** @var Registry */
    public $params;

    /** @var string */
    protected $_name = '';

    /** @var string */
    protected $_type = '';

    private ?CMSApplicationInterface $application = null;

    public function __construct(DispatcherInterface $dispatcher, array $config = [])
    {
        $params       = $config['params'] ?? null;
        $this->params = $params instanceof Registry ? $params : new Registry($params ?? '');
        $this->_name  = (string) ($config['name'] ?? '');
        $this->_type  = (string) ($config['type'] ?? '');
    }

    public function setApplication(CMSApplicationInterface $application): void
    {
        $this->application = $application;
    }

    protected function getApplication(): CMSApplicationInterface
    {
        if ($this->application === null) {
            throw new \UnexpectedValueException('Application not set in ' . static::class);
        }

        return $this->application;
    }
}
