<?php
/**
 * The URL and token checks, the connection answers and the loader's tag.
 *
 * @package Snagdesk
 */

use PHPUnit\Framework\TestCase;
use Snagdesk\Connection;
use Snagdesk\Loader;
use Snagdesk\Settings;

/**
 * The plugin's other pure helpers.
 */
final class PureHelpersTest extends TestCase {

	public function test_normalize_url() {
		$this->assertSame( 'https://desk.example', Settings::normalize_url( ' https://desk.example/ ' ) );
		$this->assertSame( 'http://127.0.0.1:8000', Settings::normalize_url( 'http://127.0.0.1:8000//' ) );
		$this->assertSame( 'https://example.com/desk', Settings::normalize_url( 'https://example.com/desk/' ) );
		foreach ( array( '', 'desk.example', 'ftp://desk.example', 'javascript:alert(1)', 'https://', 'https://desk.example/?a=1', 'https://desk.example/#x', 'https://u:p@desk.example', 'https://desk example', 'https://desk.example/"><script>', null, array( 'https://desk.example' ) ) as $bad ) {
			$this->assertSame( '', Settings::normalize_url( $bad ), var_export( $bad, true ) );
		}
	}

	public function test_normalize_url_takes_the_address_before_a_pasted_loader_path() {
		$this->assertSame( 'https://desk.example', Settings::normalize_url( 'https://desk.example/widget/v1/loader.js' ) );
		$this->assertSame( 'https://example.com/desk', Settings::normalize_url( 'https://example.com/desk/widget/v1/loader.js' ) );
		$this->assertSame( 'https://desk.example', Settings::normalize_url( 'https://desk.example/widget/v1/' ) );
		$this->assertSame( 'https://desk.example', Settings::normalize_url( 'https://desk.example/widget/v1' ) );
		$this->assertSame( 'https://desk.example/widget/v2', Settings::normalize_url( 'https://desk.example/widget/v2' ) );
		$this->assertSame( '', Settings::normalize_url( 'https://desk.example/widget/v1/loader.js?v=1' ) );
		$this->assertSame( '', Settings::normalize_url( 'desk.example/widget/v1/loader.js' ) );
	}

	public function test_token() {
		$this->assertTrue( Settings::is_valid_token( 'wt_' . str_repeat( 'aZ0-_', 4 ) . 'abcd' ) );
		foreach ( array( '', 'wt_short', 'wt_' . str_repeat( 'a', 25 ), 'xx_' . str_repeat( 'a', 24 ), 'wt_' . str_repeat( 'a', 23 ) . '!', ' wt_' . str_repeat( 'a', 24 ), 'wt_' . str_repeat( 'a', 24 ) . "\n", null ) as $bad ) {
			$this->assertFalse( Settings::is_valid_token( $bad ), var_export( $bad, true ) );
		}
	}

	public function test_origin_of() {
		$this->assertSame( 'https://shop.example', Connection::origin_of( 'https://Shop.Example/blog/' ) );
		$this->assertSame( 'http://127.0.0.1:8080', Connection::origin_of( 'http://127.0.0.1:8080' ) );
		$this->assertSame( 'https://shop.example', Connection::origin_of( 'https://shop.example:443/' ) );
		$this->assertSame( '', Connection::origin_of( '/relative' ) );
	}

	public function test_interpret() {
		$origin = 'https://shop.example';
		$this->assertSame( 'ok', Connection::interpret( 200, '{"appearance":{},"texts":{}}', '', $origin )['status'] );
		$this->assertTrue( Connection::interpret( 200, '{"appearance":{}}', '', $origin )['ok'] );
		$this->assertSame( 'token_invalid', Connection::interpret( 401, '{"code":"token_invalid"}', '', $origin )['status'] );
		$this->assertSame( 'token_disabled', Connection::interpret( 401, '{"code":"token_disabled"}', '', $origin )['status'] );
		$denied = Connection::interpret( 403, '{"code":"origin_not_allowed"}', '', $origin );
		$this->assertSame( 'origin_not_allowed', $denied['status'] );
		$this->assertStringContainsString( $origin, $denied['message'] );
		$this->assertFalse( $denied['ok'] );
		$down = Connection::interpret( 0, '', 'cURL error 7: Failed to connect', $origin );
		$this->assertSame( 'unreachable', $down['status'] );
		$this->assertStringContainsString( 'cURL error 7', $down['message'] );
		$this->assertSame( 'throttled', Connection::interpret( 429, '{"code":"throttled"}', '', $origin )['status'] );
		$this->assertSame( 'unexpected', Connection::interpret( 200, '<html>', '', $origin )['status'] );
		$this->assertSame( 'unexpected', Connection::interpret( 500, '', '', $origin )['status'] );
	}

	public function test_language_tag_is_the_bcp_47_form_of_the_locale() {
		$this->assertSame( 'fr-CA', Loader::language_tag( 'fr_CA' ) );
		$this->assertSame( 'de-DE', Loader::language_tag( 'de_DE' ) );
		$this->assertSame( 'zh-CN', Loader::language_tag( 'zh_CN' ) );
		$this->assertSame( 'pt-BR', Loader::language_tag( 'pt_BR' ) );
		$this->assertSame( 'en-US', Loader::language_tag( 'en_US' ) );
		$this->assertSame( 'ja', Loader::language_tag( 'ja' ) );
		$this->assertSame( 'uk', Loader::language_tag( 'uk' ) );
		$this->assertSame( 'es-419', Loader::language_tag( 'es_419' ) );
		$this->assertSame( 'sr-Latn-RS', Loader::language_tag( 'sr_Latn_RS' ) );
	}

	public function test_language_tag_leaves_out_wordpress_variants() {
		$this->assertSame( 'de-DE', Loader::language_tag( 'de_DE_formal' ) );
		$this->assertSame( 'pt-PT', Loader::language_tag( 'pt_PT_ao90' ) );
		$this->assertSame( 'ca', Loader::language_tag( 'ca_valencia' ) );
		foreach ( array( '', 'x', 'english', '"><script>', 'de-DE' ) as $bad ) {
			$this->assertSame( '', Loader::language_tag( $bad ), $bad );
		}
	}

	public function test_attributes_of_a_visitor_are_the_token_and_language_only() {
		$this->assertSame(
			array(
				'data-token' => 'wt_x',
				'data-lang'  => 'fr-CA',
			),
			Loader::attributes( 'wt_x', 'fr-CA', null )
		);
		$this->assertSame( array( 'data-token' => 'wt_x' ), Loader::attributes( 'wt_x', '', null ) );
	}

	public function test_attributes_of_a_logged_in_user_add_the_name_and_email() {
		$user = array(
			'id'    => 7,
			'roles' => array( 'subscriber' ),
			'name'  => 'Sam',
			'email' => 'sam@example.test',
		);
		$this->assertSame(
			array(
				'data-token' => 'wt_x',
				'data-lang'  => 'en-US',
				'data-name'  => 'Sam',
				'data-email' => 'sam@example.test',
			),
			Loader::attributes( 'wt_x', 'en-US', $user )
		);
	}

	/**
	 * Sets the attributes filter_tag() prints.
	 *
	 * @param array $attributes Attribute name => value.
	 */
	private function set_attributes( $attributes ) {
		$property = new ReflectionProperty( Loader::class, 'attributes' );
		$property->setAccessible( true );
		$property->setValue( null, $attributes );
	}

	public function test_filter_tag_escapes_the_name_and_email_once() {
		$name = "Ed \"></script><script>alert(1)</script>' & Co";
		$this->set_attributes(
			array(
				'data-token' => 'wt_' . str_repeat( 'a', 24 ),
				'data-name'  => $name,
				'data-email' => 'ed+desk@example.test',
			)
		);
		$tag = '<script src="https://desk.example/widget/v1/loader.js" id="snagdesk-loader-js" defer data-wp-strategy="defer"></script>' . "\n";
		$out = Loader::filter_tag( $tag, 'snagdesk-loader' );
		$this->assertSame( 1, substr_count( $out, '<script' ) );
		$this->assertStringNotContainsString( '<script>', $out );
		$this->assertStringContainsString( ' data-name="Ed &quot;&gt;&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#039; &amp; Co" data-email="ed+desk@example.test">', $out );
		$this->assertSame( 1, preg_match( '/ data-name="([^"]*)"/', $out, $match ) );
		$this->assertSame( $name, html_entity_decode( $match[1], ENT_QUOTES | ENT_HTML5, 'UTF-8' ) );
	}

	public function test_filter_tag_before_wordpress_6_3() {
		$this->set_attributes( array( 'data-token' => 'wt_' . str_repeat( 'b', 24 ) ) );
		$tag = "<script src='https://desk.example/widget/v1/loader.js' id='snagdesk-loader-js'></script>\n";
		$out = Loader::filter_tag( $tag, 'snagdesk-loader' );
		$this->assertSame( "<script src='https://desk.example/widget/v1/loader.js' id='snagdesk-loader-js' defer data-token=\"wt_bbbbbbbbbbbbbbbbbbbbbbbb\"></script>\n", $out );
		$this->assertSame( $tag, Loader::filter_tag( $tag, 'jquery' ) );
	}

	public function test_filter_tag_with_the_6_3_strategy() {
		$this->set_attributes( array( 'data-token' => 'wt_' . str_repeat( 'c', 24 ) ) );
		$tag = '<script src="https://desk.example/widget/v1/loader.js" id="snagdesk-loader-js" defer data-wp-strategy="defer"></script>' . "\n";
		$out = Loader::filter_tag( $tag, 'snagdesk-loader' );
		$this->assertSame( '<script src="https://desk.example/widget/v1/loader.js" id="snagdesk-loader-js" defer data-wp-strategy="defer" data-token="wt_cccccccccccccccccccccccc"></script>' . "\n", $out );
		$this->assertSame( 1, substr_count( $out, ' defer' ) );
	}
}
