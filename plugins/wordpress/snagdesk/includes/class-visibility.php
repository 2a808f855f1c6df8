<?php
/**
 * Whether the widget is loaded on a page: a pure decision, without WordPress calls.
 *
 * @package Snagdesk
 */

namespace Snagdesk;

defined( 'ABSPATH' ) || exit;

/**
 * The visibility rules. Given the settings, where the page is and who is looking,
 * says whether the loader is printed. Touches no global state, so it is unit tested alone.
 */
final class Visibility {

	const FRONT = 'front';
	const ADMIN = 'admin';

	const EVERYONE  = 'everyone';
	const LOGGED_IN = 'logged_in';
	const ROLES     = 'roles';
	const USERS     = 'users';

	/**
	 * The visibility modes, in the order the settings page shows them.
	 *
	 * @return string[]
	 */
	public static function modes() {
		return array( self::EVERYONE, self::LOGGED_IN, self::ROLES, self::USERS );
	}

	/**
	 * The places the widget can be shown.
	 *
	 * @return string[]
	 */
	public static function locations() {
		return array( self::FRONT, self::ADMIN );
	}

	/**
	 * Whether the loader is printed.
	 *
	 * @param array      $rules   Keys: url, token (strings), visibility (one of modes()),
	 *                            roles (role slugs), users (user IDs), locations (subset of locations()).
	 * @param string     $context Where the page is: self::FRONT or self::ADMIN.
	 * @param array|null $user    Null for a visitor who is not logged in, else keys id (int) and roles (string[]).
	 * @return bool
	 */
	public static function should_load( array $rules, $context, $user ) {
		if ( empty( $rules['url'] ) || empty( $rules['token'] ) ) {
			return false;
		}
		$locations = isset( $rules['locations'] ) ? (array) $rules['locations'] : array();
		if ( ! in_array( $context, self::locations(), true ) || ! in_array( $context, $locations, true ) ) {
			return false;
		}
		$mode = isset( $rules['visibility'] ) ? $rules['visibility'] : self::EVERYONE;
		if ( self::EVERYONE === $mode ) {
			return true;
		}
		if ( ! is_array( $user ) ) {
			return false;
		}
		if ( self::LOGGED_IN === $mode ) {
			return true;
		}
		if ( self::ROLES === $mode ) {
			$roles      = isset( $rules['roles'] ) ? (array) $rules['roles'] : array();
			$user_roles = isset( $user['roles'] ) ? (array) $user['roles'] : array();
			return array() !== array_intersect( $roles, $user_roles );
		}
		if ( self::USERS === $mode ) {
			$ids = array_map( 'intval', isset( $rules['users'] ) ? (array) $rules['users'] : array() );
			return isset( $user['id'] ) && in_array( (int) $user['id'], $ids, true );
		}
		return false;
	}
}
