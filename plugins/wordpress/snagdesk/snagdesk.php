<?php
/**
 * Plugin Name:       Snagdesk
 * Description:       Adds the Snagdesk support widget to your site, so visitors and users can report problems with a screenshot straight into your Snagdesk.
 * Version:           0.1.0
 * Requires at least: 6.0
 * Requires PHP:      7.4
 * Author:            Snagdesk
 * License:           GPL-2.0-or-later
 * License URI:       https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:       snagdesk
 * Domain Path:       /languages
 *
 * @package Snagdesk
 */

defined( 'ABSPATH' ) || exit;

define( 'SNAGDESK_VERSION', '0.1.0' );
define( 'SNAGDESK_FILE', __FILE__ );

require_once __DIR__ . '/includes/class-visibility.php';
require_once __DIR__ . '/includes/class-settings.php';
require_once __DIR__ . '/includes/class-connection.php';
require_once __DIR__ . '/includes/class-loader.php';
require_once __DIR__ . '/includes/class-plugin.php';

Snagdesk\Plugin::boot();
