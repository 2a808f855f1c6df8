<?php

declare(strict_types=1);

namespace Snagdesk\Tests;

use Joomla\CMS\Application\CMSApplication;
use Joomla\CMS\Document\HtmlDocument;
use Joomla\CMS\Extension\PluginInterface;
use Joomla\CMS\Factory;
use Joomla\CMS\Plugin\PluginHelper;
use Joomla\DI\Container;
use Joomla\DI\ServiceProviderInterface;
use Joomla\Event\Dispatcher;
use Joomla\Event\DispatcherInterface;
use PHPUnit\Framework\TestCase;
use Snagdesk\Plugin\System\Snagdesk\Extension\Snagdesk;

/** services/provider.php as Joomla's ExtensionManager uses it. */
final class ProviderTest extends TestCase
{
    protected function tearDown(): void
    {
        Factory::$application  = null;
        PluginHelper::$plugins = [];
    }

    public function testRegistersTheConfiguredPluginWithTheApplication(): void
    {
        $document = new HtmlDocument();
        Factory::$application = new CMSApplication('site', $document, new \Joomla\CMS\User\User(['id' => 0, 'guest' => 1], [1, 9], [1, 5]));
        PluginHelper::$plugins['system/snagdesk'] = (object) [
            'type'   => 'system',
            'name'   => 'snagdesk',
            'params' => '{"url":"https://desk.example.com","token":"wt_AbCdEfGhIjKlMnOpQrStUv_-"}',
        ];

        $provider = require PLUGIN_DIR . '/services/provider.php';
        self::assertInstanceOf(ServiceProviderInterface::class, $provider);

        $container = new Container();
        $container->set(DispatcherInterface::class, new Dispatcher());
        $provider->register($container);
        $plugin = $container->get(PluginInterface::class);

        self::assertInstanceOf(Snagdesk::class, $plugin);
        $plugin->onBeforeCompileHead();
        self::assertSame(
            'https://desk.example.com/widget/v1/loader.js',
            $document->getWebAssetManager()->scripts[Snagdesk::ASSET_LOADER]['uri'] ?? null
        );
    }
}
