<?php

/**
 * @package     Snagdesk.Plugin
 * @subpackage  System.snagdesk
 * @license     GPL-2.0-or-later
 */

declare(strict_types=1);

namespace Snagdesk\Plugin\System\Snagdesk;

// phpcs:disable PSR1.Files.SideEffects
\defined('_JEXEC') or die;
// phpcs:enable PSR1.Files.SideEffects

/**
 * Whether the widget is shown to a visitor: pure, no Joomla class involved.
 *
 * All the rules must match:
 * - the application (site, administrator, or both); never the administrator for a guest:
 *   there a guest only ever sees the login page, whatever the access level says;
 * - the access level, when one is set (0 means any): it must be among the visitor's
 *   authorised view levels;
 * - when user groups or users are listed: the visitor is in one of the groups (their
 *   authorised groups, so a child group counts for its parent), or is one of the users
 *   (by id or username, case-insensitive). Guests are never "one of the users".
 */
final class Visibility
{
    public const SITE = 'site';
    public const ADMINISTRATOR = 'administrator';
    public const BOTH = 'both';

    /** @var int[] */
    private readonly array $groups;

    /** @var string[] lowercased usernames and ids */
    private readonly array $users;

    /**
     * @param int[]    $groups  user group ids; empty: no group rule
     * @param string[] $users   user ids or usernames; empty: no user rule
     */
    public function __construct(
        private readonly string $client = self::SITE,
        private readonly int $accessLevel = 1,
        array $groups = [],
        array $users = [],
    ) {
        $this->groups = array_values(array_unique(array_filter(array_map('intval', $groups), static fn (int $id): bool => $id > 0)));
        $this->users  = array_values(array_unique(array_filter(array_map(
            static fn ($entry): string => mb_strtolower(trim((string) $entry)),
            $users
        ), static fn (string $entry): bool => $entry !== '')));
    }

    /**
     * The rules from the plugin's parameters, as plain values (what Registry::toArray() gives).
     *
     * @param array<string, mixed> $params
     */
    public static function fromParams(array $params): self
    {
        $client = (string) ($params['client'] ?? self::SITE);

        if (!\in_array($client, [self::SITE, self::ADMINISTRATOR, self::BOTH], true)) {
            $client = self::SITE;
        }

        $groups = $params['usergroups'] ?? [];

        return new self(
            $client,
            (int) ($params['access'] ?? 1),
            \is_array($groups) ? $groups : [$groups],
            self::parseUsers((string) ($params['users'] ?? '')),
        );
    }

    /**
     * "42, ada\nbob" -> ['42', 'ada', 'bob']. Commas, semicolons and line breaks separate
     * entries; spaces are kept inside one (Joomla usernames may contain spaces).
     *
     * @return string[]
     */
    public static function parseUsers(string $list): array
    {
        $entries = preg_split('/[,;\r\n]+/', $list) ?: [];

        return array_values(array_filter(array_map('trim', $entries), static fn (string $e): bool => $e !== ''));
    }

    /**
     * @param string $client      'site' or 'administrator': where this page is rendered
     * @param bool   $guest       not logged in
     * @param int[]  $groups      the visitor's authorised user groups
     * @param int[]  $viewLevels  the visitor's authorised view levels
     */
    public function allows(
        string $client,
        bool $guest,
        int $userId,
        string $username,
        array $groups,
        array $viewLevels,
    ): bool {
        if ($this->client !== self::BOTH && $this->client !== $client) {
            return false;
        }

        if ($client === self::ADMINISTRATOR && ($guest || $userId <= 0)) {
            return false;
        }

        if ($this->accessLevel > 0 && !\in_array($this->accessLevel, array_map('intval', $viewLevels), true)) {
            return false;
        }

        if ($this->groups === [] && $this->users === []) {
            return true;
        }

        if (array_intersect($this->groups, array_map('intval', $groups)) !== []) {
            return true;
        }

        if ($guest || $userId <= 0) {
            return false;
        }

        return \in_array((string) $userId, $this->users, true)
            || ($username !== '' && \in_array(mb_strtolower($username), $this->users, true));
    }
}
