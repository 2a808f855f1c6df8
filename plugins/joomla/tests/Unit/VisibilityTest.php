<?php

declare(strict_types=1);

namespace Snagdesk\Tests;

use PHPUnit\Framework\TestCase;
use Snagdesk\Plugin\System\Snagdesk\Visibility;

final class VisibilityTest extends TestCase
{
    private static function guest(Visibility $rules, string $client = 'site'): bool
    {
        return $rules->allows($client, true, 0, '', [1, 9], [1, 5]);
    }

    private static function ada(Visibility $rules, string $client = 'site', array $groups = [1, 2], array $levels = [1, 2]): bool
    {
        return $rules->allows($client, false, 42, 'Ada', $groups, $levels);
    }

    public function testDefaultsShowTheWidgetToEveryoneOnTheSiteOnly(): void
    {
        $rules = Visibility::fromParams([]);

        self::assertTrue(self::guest($rules));
        self::assertTrue(self::ada($rules));
        self::assertFalse(self::guest($rules, 'administrator'));
        self::assertFalse(self::ada($rules, 'administrator'));
    }

    public function testClientSiteAdministratorOrBoth(): void
    {
        $admin = Visibility::fromParams(['client' => 'administrator']);
        self::assertFalse(self::ada($admin, 'site'));
        self::assertTrue(self::ada($admin, 'administrator'));

        $both = Visibility::fromParams(['client' => 'both']);
        self::assertTrue(self::ada($both, 'site'));
        self::assertTrue(self::ada($both, 'administrator'));

        // An unknown value falls back to the default, the site.
        $odd = Visibility::fromParams(['client' => 'everywhere']);
        self::assertTrue(self::ada($odd, 'site'));
        self::assertFalse(self::ada($odd, 'administrator'));
    }

    public function testNeverTheAdministratorLoginPageForAGuest(): void
    {
        // Public access and the guest group chosen: still not on the administrator's login page.
        foreach (['administrator', 'both'] as $client) {
            $rules = Visibility::fromParams(['client' => $client, 'access' => 1, 'usergroups' => [9]]);

            self::assertFalse(self::guest($rules, 'administrator'), $client);
            self::assertFalse($rules->allows('administrator', false, 0, '', [1, 9], [1, 5]), "$client, no user id");
        }

        self::assertTrue(self::guest(Visibility::fromParams(['client' => 'both', 'usergroups' => [9]]), 'site'));
    }

    public function testAccessLevelRegisteredHidesFromGuests(): void
    {
        $registered = Visibility::fromParams(['access' => 2]);

        self::assertFalse(self::guest($registered));
        self::assertTrue(self::ada($registered));
        self::assertFalse(self::ada($registered, 'site', [1, 2], [1]));
    }

    public function testAccessLevelGuestShowsOnlyToGuests(): void
    {
        $guestLevel = Visibility::fromParams(['access' => '5']);

        self::assertTrue(self::guest($guestLevel));
        self::assertFalse(self::ada($guestLevel));
    }

    public function testAccessLevelZeroMeansAny(): void
    {
        $any = Visibility::fromParams(['access' => 0]);

        self::assertTrue($any->allows('site', true, 0, '', [], []));
    }

    public function testUserGroupsRestrictToMembers(): void
    {
        $managers = Visibility::fromParams(['usergroups' => ['6', '8']]);

        self::assertFalse(self::guest($managers));
        self::assertFalse(self::ada($managers));
        self::assertTrue(self::ada($managers, 'site', [1, 2, 6]));
        self::assertTrue(self::ada($managers, 'site', [1, 2, 3, 4, 5, 6, 7, 8]));
    }

    public function testTheGuestGroupCanBeChosen(): void
    {
        $guests = Visibility::fromParams(['usergroups' => [9]]);

        self::assertTrue(self::guest($guests));
        self::assertFalse(self::ada($guests));
    }

    public function testSpecificUsersById(): void
    {
        $rules = Visibility::fromParams(['users' => '7, 42']);

        self::assertTrue(self::ada($rules));
        self::assertFalse($rules->allows('site', false, 43, 'bob', [1, 2], [1, 2]));
        self::assertFalse(self::guest($rules));
    }

    public function testSpecificUsersByUsernameCaseInsensitiveAndWithSpaces(): void
    {
        $rules = Visibility::fromParams(['users' => "bob\n ADA ;Jean Pierre"]);

        self::assertTrue(self::ada($rules));
        self::assertTrue($rules->allows('site', false, 50, 'jean pierre', [1, 2], [1, 2]));
        self::assertFalse($rules->allows('site', false, 51, 'jean', [1, 2], [1, 2]));
        self::assertFalse($rules->allows('site', false, 52, 'pierre', [1, 2], [1, 2]));
    }

    public function testAGuestNeverMatchesAUserEntry(): void
    {
        // "0" and an empty username must not let guests in.
        $rules = Visibility::fromParams(['users' => '0, ,']);

        self::assertFalse(self::guest($rules));
        self::assertFalse($rules->allows('site', true, 0, '0', [1, 9], [1, 5]));
    }

    public function testGroupsOrUsers(): void
    {
        $rules = Visibility::fromParams(['usergroups' => [8], 'users' => 'bob']);

        self::assertTrue($rules->allows('site', false, 3, 'bob', [1, 2], [1, 2]));
        self::assertTrue($rules->allows('site', false, 4, 'carol', [1, 8], [1, 2, 3]));
        self::assertFalse(self::ada($rules));
    }

    public function testEveryRuleMustMatch(): void
    {
        $rules = Visibility::fromParams(['client' => 'site', 'access' => 3, 'users' => 'ada']);

        self::assertFalse(self::ada($rules), 'listed user without the access level');
        self::assertTrue(self::ada($rules, 'site', [1, 2], [1, 2, 3]));
        self::assertFalse(self::ada($rules, 'administrator', [1, 2], [1, 2, 3]), 'wrong client');
    }

    public function testParseUsers(): void
    {
        self::assertSame(['42', 'ada', 'Jean Pierre', 'bob'], Visibility::parseUsers(" 42,ada\r\nJean Pierre;;\n bob ,"));
        self::assertSame([], Visibility::parseUsers(''));
        self::assertSame([], Visibility::parseUsers(" , \n "));
    }

    public function testOneSelectedGroupStoredAsAScalar(): void
    {
        $rules = Visibility::fromParams(['usergroups' => '6']);

        self::assertTrue(self::ada($rules, 'site', [1, 6]));
        self::assertFalse(self::ada($rules));
    }
}
