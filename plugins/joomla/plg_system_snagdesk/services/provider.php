<?php

/**
 * @package     Snagdesk.Plugin
 * @subpackage  System.snagdesk
 * @license     GPL-2.0-or-later
 */

declare(strict_types=1);

// phpcs:disable PSR1.Files.SideEffects
\defined('_JEXEC') or die;
// phpcs:enable PSR1.Files.SideEffects

use Joomla\CMS\Extension\PluginInterface;
use Joomla\CMS\Factory;
use Joomla\CMS\Plugin\PluginHelper;
use Joomla\DI\Container;
use Joomla\DI\ServiceProviderInterface;
use Joomla\Event\DispatcherInterface;
use Snagdesk\Plugin\System\Snagdesk\Extension\Snagdesk;

return new class () implements ServiceProviderInterface {
    public function register(Container $container): void
    {
        $container->set(
            PluginInterface::class,
            function (Container $container) {
                $plugin = new Snagdesk(
                    $container->get(DispatcherInterface::class),
                    (array) PluginHelper::getPlugin('system', 'snagdesk')
                );
                $plugin->setApplication(Factory::getApplication());

                return $plugin;
            }
        );
    }
};
