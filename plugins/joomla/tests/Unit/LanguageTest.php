<?php

declare(strict_types=1);

namespace Snagdesk\Tests;

use Joomla\CMS\Application\CMSApplication;
use Joomla\CMS\Document\HtmlDocument;
use Joomla\CMS\Factory;
use Joomla\CMS\Form\Form;
use Joomla\CMS\Language\Text;
use Joomla\CMS\User\User;
use Snagdesk\Plugin\System\Snagdesk\Extension\Snagdesk;

/**
 * The site's language: the loader's data-lang, and the plugin's strings once Joomla has loaded
 * another language's files. Those tests run in a process of their own: the loaded strings are
 * global, and the other tests read English.
 */
final class LanguageTest extends PluginTestCase
{
    /** @return array<string, array{string}> */
    public static function languageTags(): array
    {
        return ['fr-CA' => ['fr-CA'], 'pt-BR' => ['pt-BR'], 'zh-CN' => ['zh-CN'], 'fa-IR' => ['fa-IR'], 'de-DE' => ['de-DE']];
    }

    /** @dataProvider languageTags */
    public function testTheLoaderCarriesTheActiveLanguage(string $tag): void
    {
        $scripts = $this->render([], null, 'site', null, [], $tag);

        self::assertSame($tag, $scripts[Snagdesk::ASSET_LOADER]['attributes']['data-lang']);
        self::assertStringContainsString(' data-lang="' . $tag . '"', $this->document->getWebAssetManager()->render());
    }

    /** Joomla's language loader, for the plugin: its .ini and .sys.ini in the given language. */
    private static function loadLanguage(string $tag): void
    {
        Text::load(PLUGIN_DIR . "/language/$tag/plg_system_snagdesk.ini");
        Text::load(PLUGIN_DIR . "/language/$tag/plg_system_snagdesk.sys.ini");
    }

    /**
     * @runInSeparateProcess
     * @preserveGlobalState disabled
     */
    public function testTheSettingsFormRefusesInGerman(): void
    {
        self::loadLanguage('de-DE');
        $form = new Form();
        $form->load((string) file_get_contents(PLUGIN_DIR . '/snagdesk.xml'));
        $form->validate($form->filter(['url' => 'desk.example.com', 'token' => 'wt_AbCdEfGhIjKlMnOpQrStUv_-', 'client' => 'site', 'access' => '1']));

        self::assertSame('Snagdesk-URL', Text::_('PLG_SYSTEM_SNAGDESK_FIELD_URL_LABEL'));
        self::assertSame(
            ['Snagdesk-URL: Beginnen Sie die Adresse mit https:// (oder http://), zum Beispiel https://desk.example.com.'],
            array_map(static fn (\Exception $e): string => $e->getMessage(), $form->getErrors())
        );
    }

    /**
     * @runInSeparateProcess
     * @preserveGlobalState disabled
     */
    public function testTheInstallerSpeaksRussian(): void
    {
        self::loadLanguage('ru-RU');
        require_once PLUGIN_DIR . '/script.php';
        $app = new CMSApplication('administrator', new HtmlDocument(), new User(['id' => 1, 'guest' => 0], [8], [1, 2, 3]));
        Factory::$application = $app;

        (new \PlgSystemSnagdeskInstallerScript())->postflight('install', null);

        self::assertStringStartsWith('Snagdesk установлен, но ещё не включён.', $app->getMessageQueue()[0]['message']);
        self::assertSame('Система - Snagdesk', Text::_('PLG_SYSTEM_SNAGDESK'));
    }
}
