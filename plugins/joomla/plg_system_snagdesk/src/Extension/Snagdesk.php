<?php

/**
 * @package     Snagdesk.Plugin
 * @subpackage  System.snagdesk
 * @license     GPL-2.0-or-later
 */

declare(strict_types=1);

namespace Snagdesk\Plugin\System\Snagdesk\Extension;

use Joomla\CMS\Document\HtmlDocument;
use Joomla\CMS\Plugin\CMSPlugin;
use Joomla\CMS\User\User;
use Joomla\Event\SubscriberInterface;
use Snagdesk\Plugin\System\Snagdesk\Snippet;
use Snagdesk\Plugin\System\Snagdesk\Visibility;

// phpcs:disable PSR1.Files.SideEffects
\defined('_JEXEC') or die;
// phpcs:enable PSR1.Files.SideEffects

/**
 * Adds the Snagdesk widget's loader to the HTML pages the visibility rules allow.
 *
 * onBeforeCompileHead: the last moment before the head (scripts included) is rendered and
 * the WebAssetManager is locked, when the document, the user and the template are known.
 */
final class Snagdesk extends CMSPlugin implements SubscriberInterface
{
    public const ASSET_LOADER = 'plg_system_snagdesk.loader';

    /**
     * @return array<string, string>
     */
    public static function getSubscribedEvents(): array
    {
        return ['onBeforeCompileHead' => 'onBeforeCompileHead'];
    }

    public function onBeforeCompileHead(): void
    {
        $app = $this->getApplication();

        if ($app->isClient('site')) {
            $client = Visibility::SITE;
        } elseif ($app->isClient('administrator')) {
            $client = Visibility::ADMINISTRATOR;
        } else {
            return;
        }

        $document = $app->getDocument();

        // Only HTML pages, and not the bare component views shown in modals (one widget per page).
        if (!$document instanceof HtmlDocument || $app->getInput()->get('tmpl', '', 'cmd') === 'component') {
            return;
        }

        $loader = Snippet::loaderUrl((string) $this->params->get('url', ''));
        $token  = Snippet::token((string) $this->params->get('token', ''));

        if ($loader === null || $token === null) {
            return;
        }

        $user  = $app->getIdentity();
        $known = $user instanceof User;
        $guest = !$known || (bool) $user->guest || (int) $user->id <= 0;

        // No identity at all (should not happen this late): fail closed, no view levels.
        $allowed = Visibility::fromParams($this->params->toArray())->allows(
            $client,
            $guest,
            $known ? (int) $user->id : 0,
            $known ? (string) $user->username : '',
            $known ? $user->getAuthorisedGroups() : [],
            $known ? $user->getAuthorisedViewLevels() : [],
        );

        if (!$allowed) {
            return;
        }

        $attributes = ['defer' => true, 'data-token' => $token];

        if ((int) $this->params->get('match_language', 1) === 1) {
            $lang = Snippet::language((string) $app->getLanguage()->getTag());

            if ($lang !== null) {
                $attributes['data-lang'] = $lang;
            }
        }

        // The loader reads data-name/data-email itself, as Snagdesk.identify() would take them.
        if (!$guest && (int) $this->params->get('prefill', 1) === 1) {
            $attributes += Snippet::identity((string) $user->name, (string) $user->email);
        }

        // 'version' => '': the exact documented URL, without Joomla's ?mediaversion suffix.
        $document->getWebAssetManager()->registerAndUseScript(self::ASSET_LOADER, $loader, ['version' => ''], $attributes);
    }
}
