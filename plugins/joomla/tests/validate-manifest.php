<?php

/**
 * Checks the plugin's manifest against the files, the classes and the language files:
 * what Joomla's installer and form would otherwise only tell on a live site.
 *
 * php validate-manifest.php [PLUGIN_DIR]   exit 0 when every check passes
 */

declare(strict_types=1);

$dir      = rtrim($argv[1] ?? __DIR__ . '/../plg_system_snagdesk', '/');
$failures = [];
$passed   = 0;

function check(bool $ok, string $what): void
{
    global $failures, $passed;

    if ($ok) {
        $passed++;
    } else {
        $failures[] = $what;
    }
}

/** @return string[] paths relative to $root, sorted */
function files_under(string $root, string $sub = ''): array
{
    $base = $sub === '' ? $root : $root . '/' . $sub;

    if (!is_dir($base)) {
        return [];
    }

    $out = [];
    $it  = new RecursiveIteratorIterator(new RecursiveDirectoryIterator($base, FilesystemIterator::SKIP_DOTS));

    foreach ($it as $file) {
        $out[] = substr($file->getPathname(), \strlen($root) + 1);
    }

    sort($out);

    return $out;
}

// 1. Well-formed, and the extension's identity --------------------------------------------
$manifests = glob($dir . '/*.xml') ?: [];
check(\count($manifests) === 1, 'exactly one manifest XML at the plugin root (found ' . \count($manifests) . ')');
$manifestFile = $manifests[0] ?? $dir . '/snagdesk.xml';

libxml_use_internal_errors(true);
$xml = simplexml_load_file($manifestFile);

if ($xml === false) {
    foreach (libxml_get_errors() as $error) {
        fwrite(STDERR, 'XML: ' . trim($error->message) . ' line ' . $error->line . "\n");
    }

    fwrite(STDERR, "manifest: not well-formed XML\n");
    exit(1);
}

check(true, 'well-formed XML');
check($xml->getName() === 'extension', 'root element <extension>');
check((string) $xml['type'] === 'plugin', 'type="plugin"');
check((string) $xml['group'] === 'system', 'group="system"');
check((string) $xml['method'] === 'upgrade', 'method="upgrade"');

$group    = (string) $xml['group'];
$elements = $xml->xpath('files/*[@plugin]') ?: [];
check(\count($elements) === 1, 'one <files> entry carries plugin="…"');
$element = (string) ($elements[0]['plugin'] ?? '');
$name    = trim((string) $xml->name);
$version = trim((string) $xml->version);

check($name === "plg_{$group}_{$element}", "name is plg_{$group}_{$element} (got {$name})");
check(basename($manifestFile) === $element . '.xml', "manifest file is named {$element}.xml");
check((bool) preg_match('/^\d+\.\d+\.\d+$/', $version), "version is MAJOR.MINOR.PATCH (got {$version})");
check(trim((string) $xml->license) === 'GPL-2.0-or-later', 'license GPL-2.0-or-later');
check(trim((string) $xml->description) !== '', 'a description');

// 2. Files listed exist, and every file is listed ----------------------------------------
$covered = [basename($manifestFile)];

$listed = static function (SimpleXMLElement $node, string $base) use ($dir, &$covered): void {
    foreach ($node->children() as $child) {
        $path = ($base === '' ? '' : $base . '/') . trim((string) $child);
        $kind = $child->getName();

        if ($kind === 'folder') {
            check(is_dir("$dir/$path"), "listed folder exists: $path");
            $covered = array_merge($covered, files_under($dir, $path));
            check(files_under($dir, $path) !== [], "listed folder is not empty: $path");
        } elseif (\in_array($kind, ['filename', 'file', 'language'], true)) {
            check(is_file("$dir/$path"), "listed file exists: $path");
            $covered[] = $path;
        } else {
            check(false, "unknown entry <$kind> in <" . $node->getName() . '>');
        }
    }
};

foreach (['files', 'media', 'languages'] as $section) {
    foreach ($xml->$section as $node) {
        $listed($node, trim((string) $node['folder']));
    }
}

if (isset($xml->scriptfile)) {
    $script = trim((string) $xml->scriptfile);
    check(is_file("$dir/$script"), "script file exists: $script");
    $covered[] = $script;
}

$covered = array_unique($covered);

foreach (files_under($dir) as $file) {
    check(\in_array($file, $covered, true), "file is listed in the manifest: $file");
}

check(\count($xml->xpath('files/folder[.="services"][@plugin]') ?: []) === 1, 'services/ is the plugin entry (plugin="…")');
check(is_file("$dir/services/provider.php"), 'services/provider.php exists');

// 3. Namespace ----------------------------------------------------------------------------
$namespace = trim((string) $xml->namespace);
$nsPath    = trim((string) $xml->namespace['path']);
check($namespace !== '' && $nsPath !== '', '<namespace path="…"> is set');
check(is_dir("$dir/$nsPath"), "namespace path exists: $nsPath");

foreach (files_under($dir, $nsPath) as $file) {
    if (!str_ends_with($file, '.php')) {
        continue;
    }

    $code     = (string) file_get_contents("$dir/$file");
    $relative = substr($file, \strlen($nsPath) + 1, -4);
    $expected = rtrim($namespace . '\\' . str_replace('/', '\\', \dirname($relative)), '\\.');
    $class    = basename($relative);

    preg_match('/^namespace\s+([^;]+);/m', $code, $ns);
    check(($ns[1] ?? '') === $expected, "$file: namespace $expected (got " . ($ns[1] ?? 'none') . ')');
    check((bool) preg_match('/^(final\s+|abstract\s+)?(class|interface|trait|enum)\s+' . preg_quote($class, '/') . '\b/m', $code), "$file: declares $class");
}

foreach (array_merge(files_under($dir, $nsPath), ['services/provider.php', $xml->scriptfile ? trim((string) $xml->scriptfile) : '']) as $file) {
    if ($file === '' || !str_ends_with($file, '.php')) {
        continue;
    }

    $code = (string) file_get_contents("$dir/$file");
    check((bool) preg_match('/^\\\\?defined\(\'_JEXEC\'\) or die;/m', $code), "$file: guarded by defined('_JEXEC') or die");
}

$provider = (string) @file_get_contents("$dir/services/provider.php");
check(str_contains($provider, "use {$namespace}\\Extension\\"), 'provider imports the extension class from the manifest namespace');
check(str_contains($provider, "PluginHelper::getPlugin('{$group}', '{$element}')"), "provider reads PluginHelper::getPlugin('{$group}', '{$element}')");

// 4. Media and asset names ---------------------------------------------------------------
foreach (files_under($dir, $nsPath) as $file) {
    $code = (string) file_get_contents("$dir/$file");

    foreach (preg_match_all("/'($name\\/[^']+\\.js)'/", $code, $m) ? $m[1] : [] as $uri) {
        // Joomla resolves "plg_x/file.js" to media/plg_x/js/file.js.
        $local = trim((string) $xml->media['folder']) . '/js/' . substr($uri, \strlen($name) + 1);
        check(is_file("$dir/$local"), "$file: script $uri is shipped as $local");
    }

    foreach (preg_match_all("/'($name\\.[a-z_.]+)'/", $code, $m) ? $m[1] : [] as $asset) {
        check(str_starts_with($asset, "$name."), "asset name $asset is prefixed with $name.");
    }
}

// 5. Language keys ------------------------------------------------------------------------
$keys = [strtoupper($name) => true, trim((string) $xml->description) => true];

foreach ($xml->xpath('//config//field') ?: [] as $field) {
    foreach (['label', 'description'] as $attribute) {
        if (isset($field[$attribute])) {
            $keys[(string) $field[$attribute]] = true;
        }
    }

    foreach ($field->option as $option) {
        $keys[trim((string) $option)] = true;
    }
}

$prefix = strtoupper($name);
$core   = ['JYES', 'JNO', 'JNONE', 'JALL', 'JDEFAULT', 'JPUBLIC'];
$own    = [];

foreach (array_keys($keys) as $key) {
    check((bool) preg_match('/^[A-Z][A-Z0-9_]*$/', $key), "language key looks like a key: $key");

    if (\in_array($key, $core, true)) {
        continue;
    }

    check($key === $prefix || str_starts_with($key, $prefix . '_'), "key $key starts with {$prefix}_ (or is a core key)");
    $own[] = $key;
}

// Keys the code shows: src/ through the plugin's .ini, script.php (the installer) through the .sys.ini.
$sysKeys = [$prefix, trim((string) $xml->description)];
$codeKeys = static function (array $files) use ($dir, $prefix): array {
    $found = [];

    foreach ($files as $file) {
        preg_match_all("/'({$prefix}_[A-Z0-9_]+)'/", (string) file_get_contents("$dir/$file"), $m);
        $found = array_merge($found, $m[1]);
    }

    return array_values(array_unique($found));
};
$own     = array_values(array_unique(array_merge($own, $codeKeys(array_filter(files_under($dir, $nsPath), static fn (string $f): bool => str_ends_with($f, '.php'))))));
$sysKeys = array_values(array_unique(array_merge($sysKeys, $codeKeys(isset($xml->scriptfile) ? [trim((string) $xml->scriptfile)] : []))));

// Every validate="…" resolves, as FormHelper::loadRuleClass() does, to a class the plugin
// ships under an addruleprefix namespace (the core rules are not checked here).
$rulePrefixes = array_map(static fn ($p): string => trim((string) $p), $xml->xpath('//config//*[@addruleprefix]/@addruleprefix') ?: []);
$coreRules    = ['options', 'url', 'email', 'integer', 'number', 'boolean', 'color', 'tel', 'username', 'password', 'equals'];

foreach ($xml->xpath('//config//field[@validate]') ?: [] as $field) {
    $type = (string) $field['validate'];

    if (\in_array(strtolower($type), $coreRules, true)) {
        continue;
    }

    $shipped = false;

    foreach ($rulePrefixes as $rulePrefix) {
        if (str_starts_with($rulePrefix . '\\', $namespace . '\\')) {
            $relative = str_replace('\\', '/', substr($rulePrefix, \strlen($namespace) + 1));
            $shipped  = $shipped || is_file("$dir/$nsPath/$relative/" . ucfirst($type) . 'Rule.php');
        }
    }

    check($shipped, "validate=\"$type\" of field {$field['name']}: {$type}Rule.php is shipped under an addruleprefix namespace");
}

$languages = [];

foreach ($xml->languages->language ?? [] as $language) {
    $languages[(string) $language['tag']][] = basename(trim((string) $language));
}

$langRoot = trim((string) ($xml->languages['folder'] ?? 'language'));
$folders  = array_map('basename', glob("$dir/$langRoot/*", GLOB_ONLYDIR) ?: []);
sort($folders);
$tags = array_keys($languages);
sort($tags);
check($folders === $tags, 'every language folder is listed in <languages> and the other way round');
check(\in_array('en-GB', $tags, true), 'en-GB is there');
// The languages Snagdesk speaks (docs/joomla.md#languages), as Joomla's language tags.
$shipped = ['bg-BG', 'ca-ES', 'cs-CZ', 'de-DE', 'el-GR', 'en-GB', 'es-ES', 'fa-IR', 'fi-FI', 'fr-CA', 'fr-FR', 'id-ID', 'it-IT', 'ja-JP', 'nb-NO', 'nl-NL', 'pl-PL', 'pt-BR', 'pt-PT', 'ro-RO', 'ru-RU', 'sk-SK', 'sv-SE', 'tr-TR', 'uk-UA', 'vi-VN', 'zh-CN'];
check($tags === $shipped, 'the 27 languages are shipped (missing: ' . implode(', ', array_diff($shipped, $tags)) . '; unexpected: ' . implode(', ', array_diff($tags, $shipped)) . ')');

/** @return array<string, string>|null */
function read_ini(string $file, string $what): ?array
{
    $raw = (string) file_get_contents($file);
    check(!str_starts_with($raw, "\xEF\xBB\xBF"), "$what: no BOM");
    check(mb_check_encoding($raw, 'UTF-8'), "$what: UTF-8");
    $seen = [];

    foreach (preg_split('/\r?\n/', $raw) ?: [] as $number => $line) {
        if ($line === '' || $line[0] === ';') {
            continue;
        }

        $ok = (bool) preg_match('/^([A-Z][A-Z0-9_]*)="([^"]*)"$/', $line, $m);
        check($ok, "$what line " . ($number + 1) . ': KEY="value" without inner double quotes');

        if ($ok) {
            check(!isset($seen[$m[1]]), "$what: {$m[1]} defined once");
            check(trim($m[2]) !== '', "$what: {$m[1]} has a value");
            $seen[$m[1]] = true;
        }
    }

    // The way Joomla's LanguageHelper::parseIniFile reads them.
    $parsed = @parse_ini_file($file, false, INI_SCANNER_RAW);
    check(\is_array($parsed), "$what: parses as Joomla reads it");

    return \is_array($parsed) ? $parsed : null;
}

$english = [];

foreach (['en-GB', ...array_diff($tags, ['en-GB'])] as $tag) {
    foreach (["$name.ini" => $own, "$name.sys.ini" => $sysKeys] as $file => $needed) {
        $what = "$tag/$file";
        check(\in_array($file, $languages[$tag] ?? [], true), "$what is listed in <languages>");
        $path = "$dir/$langRoot/$tag/$file";

        if (!is_file($path)) {
            check(false, "$what exists");
            continue;
        }

        $strings = read_ini($path, $what) ?? [];

        foreach ($needed as $key) {
            check(isset($strings[$key]), "$what defines $key");
        }

        if ($tag === 'en-GB') {
            $english[$file] = $strings;
            continue;
        }

        check(array_keys($strings) == array_keys($english[$file] ?? []), "$what has the same keys as en-GB/$file");
        $same = \count(array_intersect_assoc($strings, $english[$file] ?? []));
        check($same <= max(1, \count($strings) / 4), "$what is translated ($same of " . \count($strings) . ' strings identical to English)');
    }
}

// -----------------------------------------------------------------------------------------
foreach ($failures as $failure) {
    fwrite(STDERR, "FAIL: $failure\n");
}

printf("manifest: %d checks passed, %d failed (%s %s, %d languages)\n", $passed, \count($failures), $name, $version, \count($tags));
exit($failures === [] ? 0 : 1);
