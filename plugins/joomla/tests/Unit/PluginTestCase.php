<?php

declare(strict_types=1);

namespace Snagdesk\Tests;

use Joomla\CMS\Application\CMSApplication;
use Joomla\CMS\Document\Document;
use Joomla\CMS\Document\HtmlDocument;
use Joomla\CMS\Language\Language;
use Joomla\CMS\User\User;
use Joomla\Event\Dispatcher;
use Joomla\Input\Input;
use PHPUnit\Framework\TestCase;
use Snagdesk\Plugin\System\Snagdesk\Extension\Snagdesk;

/** Builds the plugin as Joomla does (params as the JSON of the #__extensions row). */
abstract class PluginTestCase extends TestCase
{
    protected const URL = 'https://desk.example.com';
    protected const TOKEN = 'wt_AbCdEfGhIjKlMnOpQrStUv_-';
    protected const LOADER = 'https://desk.example.com/widget/v1/loader.js';

    protected HtmlDocument $document;

    /** @param array<string, mixed> $params */
    protected function plugin(array $params = []): Snagdesk
    {
        $params += ['url' => self::URL, 'token' => self::TOKEN];

        return new Snagdesk(new Dispatcher(), [
            'name'   => 'snagdesk',
            'type'   => 'system',
            'params' => json_encode($params, JSON_THROW_ON_ERROR),
        ]);
    }

    protected static function guest(): User
    {
        return new User(['id' => 0, 'guest' => 1], [1, 9], [1, 5]);
    }

    /**
     * @param int[] $groups
     * @param int[] $viewLevels
     */
    protected static function member(
        int $id = 42,
        string $username = 'ada',
        array $groups = [1, 2],
        array $viewLevels = [1, 2],
        string $name = 'Ada Lovelace',
        string $email = 'ada@client.example',
    ): User {
        return new User(
            ['id' => $id, 'guest' => 0, 'username' => $username, 'name' => $name, 'email' => $email],
            $groups,
            $viewLevels
        );
    }

    /**
     * Runs onBeforeCompileHead on an application of the given client and returns the
     * scripts the plugin registered on the document ([] when none).
     *
     * @param array<string, mixed> $params
     * @param array<string, mixed> $request
     * @return array<string, array{uri: string, options: array, attributes: array, dependencies: array}>
     */
    protected function render(
        array $params = [],
        ?User $user = null,
        string $client = 'site',
        ?Document $document = null,
        array $request = [],
        string $language = 'en-GB',
    ): array {
        $this->document = $document instanceof HtmlDocument ? $document : new HtmlDocument();
        $document ??= $this->document;
        $plugin = $this->plugin($params);
        $plugin->setApplication(new CMSApplication(
            $client,
            $document,
            $user ?? self::guest(),
            new Input($request),
            new Language($language)
        ));
        $plugin->onBeforeCompileHead();

        return $document->getWebAssetManager()->scripts;
    }
}
