<?php

declare(strict_types=1);

namespace Snagdesk\Tests;

use PHPUnit\Framework\TestCase;
use Snagdesk\Plugin\System\Snagdesk\Snippet;

final class SnippetTest extends TestCase
{
    /** @return array<string, array{string, ?string}> */
    public static function urls(): array
    {
        return [
            'plain'               => ['https://desk.example.com', 'https://desk.example.com/widget/v1/loader.js'],
            'trailing slash'      => ['https://desk.example.com/', 'https://desk.example.com/widget/v1/loader.js'],
            'spaces around'       => ['  https://desk.example.com  ', 'https://desk.example.com/widget/v1/loader.js'],
            'upper-case host'     => ['HTTPS://Desk.Example.com', 'https://desk.example.com/widget/v1/loader.js'],
            'port and path'       => ['http://127.0.0.1:8000/desk/', 'http://127.0.0.1:8000/desk/widget/v1/loader.js'],
            'pasted loader URL'   => ['https://desk.example.com/widget/v1/loader.js', 'https://desk.example.com/widget/v1/loader.js'],
            'pasted widget path'  => ['https://desk.example.com/widget/v1/', 'https://desk.example.com/widget/v1/loader.js'],
            'empty'               => ['', null],
            'no scheme'           => ['desk.example.com', null],
            'javascript'          => ['javascript:alert(1)', null],
            'ftp'                 => ['ftp://desk.example.com', null],
            'quote'               => ['https://desk.example.com/"onload="x', null],
            'angle bracket'       => ['https://desk.example.com/<script>', null],
            'query'               => ['https://desk.example.com/?a=1', null],
            'fragment'            => ['https://desk.example.com/#x', null],
            'credentials'         => ['https://user:pw@desk.example.com', null],
            'space inside'        => ['https://desk example.com', null],
            'scheme-relative'     => ['//desk.example.com', null],
        ];
    }

    /** @dataProvider urls */
    public function testLoaderUrl(string $url, ?string $loader): void
    {
        self::assertSame($loader, Snippet::loaderUrl($url));
    }

    public function testToken(): void
    {
        self::assertSame('wt_AbCdEfGhIjKlMnOpQrStUv_-', Snippet::token(' wt_AbCdEfGhIjKlMnOpQrStUv_- '));
        self::assertNull(Snippet::token(''));
        self::assertNull(Snippet::token('wt_short'));
        self::assertNull(Snippet::token('wt_AbCdEfGhIjKlMnOpQrStUv_-x'), '25 characters');
        self::assertNull(Snippet::token('xx_AbCdEfGhIjKlMnOpQrStUv_-'), 'wrong prefix');
        self::assertNull(Snippet::token('wt_AbCdEfGhIjKlMnOpQrSt"<>'), 'not URL-safe');
        self::assertNull(Snippet::token("wt_AbCdEfGhIjKlMnOpQrStUv_-\nx"));
    }

    public function testLanguage(): void
    {
        self::assertSame('fr-FR', Snippet::language('fr-FR'));
        self::assertSame('de', Snippet::language('de'));
        self::assertSame('zh-Hant-TW', Snippet::language('zh-Hant-TW'));
        self::assertNull(Snippet::language(''));
        self::assertNull(Snippet::language('fr"FR'));
    }

    public function testIdentityKeepsRawValuesAndDropsWhatIsUnusable(): void
    {
        self::assertSame(
            ['data-name' => 'Zoë "Z" <O\'Brien> & co', 'data-email' => 'zoe@client.example'],
            Snippet::identity(' Zoë "Z" <O\'Brien> & co ', 'zoe@client.example')
        );
        self::assertSame(['data-name' => 'Ada'], Snippet::identity('Ada', 'not an email'));
        self::assertSame(['data-email' => 'ada@client.example'], Snippet::identity('  ', 'ada@client.example'));
        self::assertSame([], Snippet::identity('', ''));
        self::assertSame(['data-name' => 'Ada Lovelace'], Snippet::identity("Ada\r\nLovelace", ''));
    }
}
