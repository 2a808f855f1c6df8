<?php
/**
 * The test site's environment: no e-mail is sent.
 *
 * @package Snagdesk
 */

add_filter( 'pre_wp_mail', '__return_true' );
