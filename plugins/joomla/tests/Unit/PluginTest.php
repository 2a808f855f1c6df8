<?php

declare(strict_types=1);

namespace Snagdesk\Tests;

use Joomla\CMS\Document\JsonDocument;
use Joomla\Event\SubscriberInterface;
use Snagdesk\Plugin\System\Snagdesk\Extension\Snagdesk;

final class PluginTest extends PluginTestCase
{
    public function testSubscribesToOnBeforeCompileHead(): void
    {
        self::assertContains(SubscriberInterface::class, class_implements(Snagdesk::class));
        self::assertSame(['onBeforeCompileHead' => 'onBeforeCompileHead'], Snagdesk::getSubscribedEvents());
        self::assertTrue((new \ReflectionClass(Snagdesk::class))->isFinal());
    }

    public function testAddsTheLoaderForAGuest(): void
    {
        $scripts = $this->render();

        self::assertSame([Snagdesk::ASSET_LOADER], array_keys($scripts));
        self::assertSame(self::LOADER, $scripts[Snagdesk::ASSET_LOADER]['uri']);
        self::assertSame(['version' => ''], $scripts[Snagdesk::ASSET_LOADER]['options']);
        self::assertSame(
            ['defer' => true, 'data-token' => self::TOKEN, 'data-lang' => 'en-GB'],
            $scripts[Snagdesk::ASSET_LOADER]['attributes']
        );
        self::assertSame(
            '<script src="' . self::LOADER . '" defer data-token="' . self::TOKEN . '" data-lang="en-GB"></script>' . "\n",
            $this->document->getWebAssetManager()->render()
        );
    }

    public function testTheLoaderTagMatchesWhatTheWidgetLooksFor(): void
    {
        $this->render(['url' => 'https://desk.example.com/support/']);
        $html = $this->document->getWebAssetManager()->render();

        // widget/src/snippet.js: script[data-token][src*="/widget/v1/loader.js"], base = src before /widget/v1/.
        self::assertMatchesRegularExpression('#<script src="([^"?]*)/widget/v1/loader\.js" [^>]*data-token="wt_[A-Za-z0-9_-]{24}"#', $html);
        self::assertStringContainsString('src="https://desk.example.com/support/widget/v1/loader.js"', $html);
    }

    public function testPrefillsTheLoggedInUserOnTheLoaderTagAlone(): void
    {
        $scripts = $this->render([], self::member());

        self::assertSame([Snagdesk::ASSET_LOADER], array_keys($scripts), 'the loader reads the attributes itself');
        self::assertSame(
            [
                'defer'      => true,
                'data-token' => self::TOKEN,
                'data-lang'  => 'en-GB',
                'data-name'  => 'Ada Lovelace',
                'data-email' => 'ada@client.example',
            ],
            $scripts[Snagdesk::ASSET_LOADER]['attributes']
        );
    }

    public function testNameAndEmailAreEscapedOnceInTheTag(): void
    {
        $this->render([], self::member(name: 'Zoë "Z" <b>O\'Brien</b> & co', email: "o'brien@client.example"));
        $html = $this->document->getWebAssetManager()->render();

        self::assertStringContainsString('data-name="Zoë &quot;Z&quot; &lt;b&gt;O\'Brien&lt;/b&gt; &amp; co"', $html);
        self::assertStringContainsString('data-email="o\'brien@client.example"', $html);
        self::assertStringNotContainsString('<b>', $html);
        self::assertStringNotContainsString('&amp;quot;', $html, 'not escaped twice');
        self::assertSame(1, substr_count($html, '<script'));
    }

    public function testNoNameOrEmailWhenPrefillIsOff(): void
    {
        $scripts = $this->render(['prefill' => 0], self::member());

        self::assertSame([Snagdesk::ASSET_LOADER], array_keys($scripts));
        self::assertArrayNotHasKey('data-name', $scripts[Snagdesk::ASSET_LOADER]['attributes']);
        self::assertArrayNotHasKey('data-email', $scripts[Snagdesk::ASSET_LOADER]['attributes']);
    }

    public function testNeverNameOrEmailForAGuestEvenWithDetails(): void
    {
        // A guest object that still carries a name and email (e.g. a half-finished login).
        $guest   = new \Joomla\CMS\User\User(['id' => 0, 'guest' => 1, 'name' => 'Eve', 'email' => 'eve@x.example'], [1, 9], [1, 5]);
        $scripts = $this->render(['prefill' => 1], $guest);

        self::assertArrayNotHasKey('data-name', $scripts[Snagdesk::ASSET_LOADER]['attributes']);
        self::assertArrayNotHasKey('data-email', $scripts[Snagdesk::ASSET_LOADER]['attributes']);
    }

    public function testAnInvalidEmailIsLeftOut(): void
    {
        $scripts = $this->render([], self::member(email: 'not-an-email'));

        self::assertSame('Ada Lovelace', $scripts[Snagdesk::ASSET_LOADER]['attributes']['data-name']);
        self::assertArrayNotHasKey('data-email', $scripts[Snagdesk::ASSET_LOADER]['attributes']);
    }

    public function testSiteLanguageOrNone(): void
    {
        self::assertSame('fr-FR', $this->render([], null, 'site', null, [], 'fr-FR')[Snagdesk::ASSET_LOADER]['attributes']['data-lang']);
        self::assertArrayNotHasKey('data-lang', $this->render(['match_language' => 0], null, 'site', null, [], 'fr-FR')[Snagdesk::ASSET_LOADER]['attributes']);
    }

    /** @return array<string, array{array<string, mixed>}> */
    public static function unusableSettings(): array
    {
        return [
            'empty URL'      => [['url' => '']],
            'empty token'    => [['token' => '']],
            'both empty'     => [['url' => '', 'token' => '']],
            'malformed URL'  => [['url' => 'desk.example.com']],
            'malformed token' => [['token' => 'wt_tooshort']],
            'unsafe URL'     => [['url' => 'https://desk.example.com/"><script>']],
        ];
    }

    /**
     * @dataProvider unusableSettings
     * @param array<string, mixed> $params
     */
    public function testNothingWithoutAUsableUrlAndToken(array $params): void
    {
        self::assertSame([], $this->render($params, self::member()));
    }

    public function testNothingOnAnotherDocumentType(): void
    {
        self::assertSame([], $this->render([], null, 'site', new JsonDocument()));
    }

    public function testNothingInAModal(): void
    {
        self::assertSame([], $this->render(['client' => 'both'], self::member(), 'administrator', null, ['tmpl' => 'component']));
        self::assertNotSame([], $this->render(['client' => 'both'], self::member(), 'administrator', null, ['tmpl' => 'index']));
    }

    public function testClientRule(): void
    {
        self::assertSame([], $this->render([], self::member(), 'administrator'), 'site only by default');
        self::assertNotSame([], $this->render(['client' => 'administrator'], self::member(), 'administrator'));
        self::assertSame([], $this->render(['client' => 'administrator'], self::member(), 'site'));
        self::assertNotSame([], $this->render(['client' => 'both'], self::member(), 'site'));
        self::assertSame([], $this->render(['client' => 'both'], self::member(), 'api'), 'neither site nor administrator');
    }

    public function testNoWidgetForAGuestOnTheAdministratorLoginPage(): void
    {
        self::assertSame([], $this->render(['client' => 'administrator', 'access' => 1], null, 'administrator'));
        self::assertSame([], $this->render(['client' => 'both', 'access' => 1], null, 'administrator'));
        self::assertNotSame([], $this->render(['client' => 'both', 'access' => 1], self::member(), 'administrator'));
    }

    public function testAccessLevelRule(): void
    {
        self::assertSame([], $this->render(['access' => 2]), 'registered only: not a guest');
        self::assertNotSame([], $this->render(['access' => 2], self::member()));
    }

    public function testGroupRule(): void
    {
        self::assertSame([], $this->render(['usergroups' => [6]], self::member()));
        self::assertNotSame([], $this->render(['usergroups' => [6]], self::member(groups: [1, 2, 6])));
        self::assertSame([], $this->render(['usergroups' => [6]]), 'guest');
    }

    public function testUserRule(): void
    {
        self::assertNotSame([], $this->render(['users' => '42'], self::member()));
        self::assertNotSame([], $this->render(['users' => 'bob, ada'], self::member()));
        self::assertSame([], $this->render(['users' => 'bob, 7'], self::member()));
        self::assertSame([], $this->render(['users' => 'bob, 7']), 'guest');
    }

    public function testNoIdentityFailsClosed(): void
    {
        $plugin = $this->plugin();
        $doc    = new \Joomla\CMS\Document\HtmlDocument();
        $plugin->setApplication(new \Joomla\CMS\Application\CMSApplication('site', $doc, null));
        $plugin->onBeforeCompileHead();

        self::assertSame([], $doc->getWebAssetManager()->scripts);
    }
}
