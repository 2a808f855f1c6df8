<?php
/**
 * The test theme's only template.
 *
 * @package Snagdesk
 */

?><!DOCTYPE html>
<html <?php language_attributes(); ?>>
<head><meta charset="utf-8"><?php wp_head(); ?></head>
<body><main><p>Snagdesk test theme</p></main><?php wp_footer(); ?></body>
</html>
