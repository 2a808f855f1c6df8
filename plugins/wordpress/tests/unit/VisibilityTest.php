<?php
/**
 * Visibility::should_load().
 *
 * @package Snagdesk
 */

use PHPUnit\Framework\TestCase;
use Snagdesk\Visibility;

/**
 * The visibility rules, case by case.
 */
final class VisibilityTest extends TestCase {

	/**
	 * Rules with a URL and a token.
	 *
	 * @param array $overrides Changed keys.
	 * @return array
	 */
	private function rules( array $overrides = array() ) {
		return array_merge(
			array(
				'url'        => 'https://desk.example',
				'token'      => 'wt_' . str_repeat( 'a', 24 ),
				'visibility' => Visibility::EVERYONE,
				'roles'      => array(),
				'users'      => array(),
				'locations'  => array( Visibility::FRONT, Visibility::ADMIN ),
			),
			$overrides
		);
	}

	/**
	 * Who looks.
	 *
	 * @param int      $id    User ID.
	 * @param string[] $roles Roles.
	 * @return array
	 */
	private function user( $id, array $roles ) {
		return array(
			'id'    => $id,
			'roles' => $roles,
		);
	}

	public function test_everyone_includes_visitors() {
		$this->assertTrue( Visibility::should_load( $this->rules(), Visibility::FRONT, null ) );
		$this->assertTrue( Visibility::should_load( $this->rules(), Visibility::ADMIN, $this->user( 3, array( 'subscriber' ) ) ) );
	}

	public function test_missing_url_or_token_loads_nothing() {
		$this->assertFalse( Visibility::should_load( $this->rules( array( 'token' => '' ) ), Visibility::FRONT, null ) );
		$this->assertFalse( Visibility::should_load( $this->rules( array( 'url' => '' ) ), Visibility::FRONT, null ) );
		$this->assertFalse( Visibility::should_load( array(), Visibility::FRONT, $this->user( 1, array( 'administrator' ) ) ) );
	}

	public function test_locations() {
		$front = $this->rules( array( 'locations' => array( Visibility::FRONT ) ) );
		$this->assertTrue( Visibility::should_load( $front, Visibility::FRONT, null ) );
		$this->assertFalse( Visibility::should_load( $front, Visibility::ADMIN, $this->user( 1, array( 'administrator' ) ) ) );
		$admin = $this->rules( array( 'locations' => array( Visibility::ADMIN ) ) );
		$this->assertFalse( Visibility::should_load( $admin, Visibility::FRONT, null ) );
		$this->assertTrue( Visibility::should_load( $admin, Visibility::ADMIN, $this->user( 1, array( 'administrator' ) ) ) );
		$this->assertFalse( Visibility::should_load( $this->rules( array( 'locations' => array() ) ), Visibility::FRONT, null ) );
		$this->assertFalse( Visibility::should_load( $this->rules(), 'login', null ) );
	}

	public function test_logged_in() {
		$rules = $this->rules( array( 'visibility' => Visibility::LOGGED_IN ) );
		$this->assertFalse( Visibility::should_load( $rules, Visibility::FRONT, null ) );
		$this->assertTrue( Visibility::should_load( $rules, Visibility::FRONT, $this->user( 5, array() ) ) );
	}

	public function test_roles() {
		$rules = $this->rules(
			array(
				'visibility' => Visibility::ROLES,
				'roles'      => array( 'editor', 'author' ),
			)
		);
		$this->assertFalse( Visibility::should_load( $rules, Visibility::FRONT, null ) );
		$this->assertFalse( Visibility::should_load( $rules, Visibility::FRONT, $this->user( 1, array( 'administrator' ) ) ) );
		$this->assertTrue( Visibility::should_load( $rules, Visibility::FRONT, $this->user( 2, array( 'subscriber', 'author' ) ) ) );
		$this->assertFalse( Visibility::should_load( $this->rules( array( 'visibility' => Visibility::ROLES ) ), Visibility::FRONT, $this->user( 2, array( 'editor' ) ) ) );
	}

	public function test_users() {
		$rules = $this->rules(
			array(
				'visibility' => Visibility::USERS,
				'users'      => array( '7', 9 ),
			)
		);
		$this->assertFalse( Visibility::should_load( $rules, Visibility::FRONT, null ) );
		$this->assertTrue( Visibility::should_load( $rules, Visibility::FRONT, $this->user( 7, array() ) ) );
		$this->assertTrue( Visibility::should_load( $rules, Visibility::ADMIN, $this->user( 9, array() ) ) );
		$this->assertFalse( Visibility::should_load( $rules, Visibility::FRONT, $this->user( 8, array( 'administrator' ) ) ) );
	}

	public function test_unknown_mode_loads_nothing() {
		$this->assertFalse( Visibility::should_load( $this->rules( array( 'visibility' => 'friends' ) ), Visibility::FRONT, $this->user( 1, array() ) ) );
	}
}
