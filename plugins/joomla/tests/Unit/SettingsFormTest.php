<?php

declare(strict_types=1);

namespace Snagdesk\Tests;

use Joomla\CMS\Form\Form;
use PHPUnit\Framework\TestCase;

/** Saving the plugin's options: the manifest's <config> form, filtered then validated. */
final class SettingsFormTest extends TestCase
{
    private const VALID = [
        'url'            => 'https://desk.example.com',
        'token'          => 'wt_AbCdEfGhIjKlMnOpQrStUv_-',
        'client'         => 'site',
        'access'         => '1',
        'prefill'        => '1',
        'match_language' => '1',
    ];

    private Form $form;

    protected function setUp(): void
    {
        $this->form = new Form();
        $this->form->load((string) file_get_contents(PLUGIN_DIR . '/snagdesk.xml'));
    }

    /**
     * The messages of the errors Joomla would show, as it does: filter() then validate().
     *
     * @param array<string, mixed> $changes
     * @return string[]
     */
    private function errors(array $changes): array
    {
        $data = $this->form->filter($changes + self::VALID);
        $this->form->validate($data);

        return array_map(static fn (\Exception $e): string => $e->getMessage(), $this->form->getErrors());
    }

    public function testValidSettingsAreAccepted(): void
    {
        self::assertSame([], $this->errors([]));
        self::assertSame([], $this->errors(['url' => ' https://desk.example.com/support/ ', 'token' => ' wt_AbCdEfGhIjKlMnOpQrStUv_- ']));
    }

    public function testThePastedLoaderUrlIsAccepted(): void
    {
        self::assertSame([], $this->errors(['url' => 'https://desk.example.com/widget/v1/loader.js']));
    }

    public function testAMalformedTokenIsRefusedWithTheReason(): void
    {
        self::assertSame(
            ["Widget token: it must be wt_ followed by 24 letters, digits, - or _, exactly as shown on the token's page in Snagdesk."],
            $this->errors(['token' => 'wt_tooshort'])
        );
    }

    public function testAnEmptyTokenSaysWhatToEnter(): void
    {
        self::assertSame(
            ["Widget token: enter this website's token from Snagdesk (Website support → Tokens)."],
            $this->errors(['token' => '  '])
        );
    }

    public function testAUrlWithoutASchemeIsRefusedNotMadeHttp(): void
    {
        self::assertSame('desk.example.com', $this->form->filter(['url' => ' desk.example.com '])['url']);
        self::assertSame(
            ['Snagdesk URL: start the address with https:// (or http://), for example https://desk.example.com.'],
            $this->errors(['url' => 'desk.example.com'])
        );
    }

    public function testAnEmptyUrlSaysWhatToEnter(): void
    {
        self::assertSame(
            ['Snagdesk URL: enter the address of your Snagdesk, for example https://desk.example.com.'],
            $this->errors(['url' => ''])
        );
    }

    /** @return array<string, array{string}> */
    public static function unusableUrls(): array
    {
        return [
            'another scheme' => ['ftp://desk.example.com'],
            'a query'        => ['https://desk.example.com/?a=1'],
            'a login'        => ['https://ada:secret@desk.example.com'],
            'a quote'        => ['https://desk.example.com/"><script>'],
            'no host'        => ['https://'],
        ];
    }

    /** @dataProvider unusableUrls */
    public function testAnUnusableUrlIsRefused(string $url): void
    {
        self::assertCount(1, $this->errors(['url' => $url]));
        self::assertStringStartsWith('Snagdesk URL: ', $this->errors(['url' => $url])[0]);
    }

    public function testBothErrorsAreReportedAtOnce(): void
    {
        self::assertCount(2, $this->errors(['url' => 'desk.example.com', 'token' => 'nope']));
    }
}
