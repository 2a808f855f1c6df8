<?php

declare(strict_types=1);

namespace Snagdesk\Tests;

use Joomla\CMS\Application\CMSApplication;
use Joomla\CMS\Document\HtmlDocument;
use Joomla\CMS\Factory;
use Joomla\CMS\Installer\InstallerScript;
use Joomla\CMS\User\User;
use PHPUnit\Framework\TestCase;

/** script.php as Joomla's installer runs it: preflight's minimums, postflight's message. */
final class InstallerScriptTest extends TestCase
{
    private CMSApplication $app;

    protected function setUp(): void
    {
        require_once PLUGIN_DIR . '/script.php';
        $this->app = new CMSApplication('administrator', new HtmlDocument(), new User(['id' => 1, 'guest' => 0], [8], [1, 2, 3]));
        Factory::$application = $this->app;
    }

    protected function tearDown(): void
    {
        Factory::$application = null;
    }

    public function testRequiresPhp81AndJoomla42(): void
    {
        $script = new \PlgSystemSnagdeskInstallerScript();

        self::assertInstanceOf(InstallerScript::class, $script);
        self::assertSame(['php' => '8.1.0', 'joomla' => '4.2.0'], $script->getMinimums());
    }

    public function testAFirstInstallSaysThePluginMustBeEnabled(): void
    {
        self::assertTrue((new \PlgSystemSnagdeskInstallerScript())->postflight('install', null));

        self::assertSame(
            [[
                'message' => 'Snagdesk is installed but not enabled yet. Open System → Plugins, search for Snagdesk, enable “System - Snagdesk” and enter your Snagdesk URL and widget token in its options.',
                'type'    => 'warning',
            ]],
            $this->app->getMessageQueue()
        );
    }

    public function testAnUpdateSaysNothing(): void
    {
        self::assertTrue((new \PlgSystemSnagdeskInstallerScript())->postflight('update', null));

        self::assertSame([], $this->app->getMessageQueue());
    }
}
