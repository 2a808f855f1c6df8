<?php

declare(strict_types=1);

namespace Joomla\CMS\Form;

use Joomla\CMS\Language\Text;
use Joomla\Registry\Registry;

/**
 * The part of Joomla's Form that saving a plugin's options goes through
 * (com_plugins' PluginModel::validate()): filter() then validate(), errors kept.
 *
 * - load(): any addruleprefix attribute registers a rule namespace, searched before
 *   Joomla\CMS\Form\Rule (Form::syncPaths(), FormHelper::addRulePrefix()).
 * - filter(): the field's filter attribute, as Joomla's filters behave (the "url" filter
 *   gives false for an empty value and prefixes http:// when there is no scheme).
 * - validate(): per field as FormField::validate(): required first ("Field required: …"),
 *   then the validate="…" rule; a rule's exception is the field's error, false gives
 *   the message attribute or "Invalid field: …".
 */
class Form
{
    private \SimpleXMLElement $xml;

    /** @var string[] */
    private array $rulePrefixes = ['Joomla\\CMS\\Form\\Rule'];

    /** @var \Exception[] */
    private array $errors = [];

    public function load($data): bool
    {
        $this->xml = $data instanceof \SimpleXMLElement ? $data : new \SimpleXMLElement((string) $data);

        foreach ($this->xml->xpath('//*[@addruleprefix]/@addruleprefix') ?: [] as $prefix) {
            array_unshift($this->rulePrefixes, trim((string) $prefix));
        }

        return true;
    }

    /** @return array<string, \SimpleXMLElement> the fields of the params group, by name */
    private function fields(): array
    {
        $fields = [];

        foreach ($this->xml->xpath('//fields[@name="params"]//field') ?: [] as $field) {
            $fields[(string) $field['name']] = $field;
        }

        return $fields;
    }

    /**
     * @param array<string, mixed> $data
     * @return array<string, mixed>
     */
    public function filter(array $data): array
    {
        foreach ($this->fields() as $name => $field) {
            if (\array_key_exists($name, $data)) {
                $data[$name] = self::filterValue((string) $field['filter'], $data[$name]);
            }
        }

        return $data;
    }

    private static function filterValue(string $filter, $value)
    {
        switch (strtolower($filter)) {
            case '':
            case 'string':
                return \is_array($value) ? $value : (string) $value;
            case 'trim':
                return trim((string) $value);
            case 'integer':
                return (int) $value;
            case 'intarray':
                return array_map('intval', (array) $value);
            case 'url':
                $value = trim((string) $value);

                if ($value === '') {
                    return false;
                }

                return preg_match('#^[a-z][a-z0-9+.-]*:#i', $value) ? $value : 'http://' . ltrim($value, '/');
        }

        throw new \UnexpectedValueException("no stand-in for the $filter filter");
    }

    /** @param array<string, mixed> $data */
    public function validate(array $data): bool
    {
        $this->errors = [];
        $input        = new Registry($data);

        foreach ($this->fields() as $name => $field) {
            $valid = $this->validateField($field, $data[$name] ?? null, $input);

            if ($valid instanceof \Exception) {
                $this->errors[] = $valid;
            }
        }

        return $this->errors === [];
    }

    private function validateField(\SimpleXMLElement $field, $value, Registry $input)
    {
        $label    = Text::_((string) $field['label']);
        $required = \in_array((string) $field['required'], ['true', 'required'], true);

        if ($required && ($value === '' || $value === null)) {
            return new \RuntimeException(Text::sprintf('JLIB_FORM_VALIDATE_FIELD_REQUIRED', $label));
        }

        $valid = true;

        if ($type = (string) $field['validate']) {
            $class = $this->ruleClass($type);

            if ($class === null) {
                throw new \UnexpectedValueException(sprintf('%s::validate() rule `%s` missing.', self::class, $type));
            }

            try {
                $valid = (new $class())->test($field, $value, 'params', $input, $this);
            } catch (\Exception $e) {
                return $e;
            }
        }

        if ($valid === false) {
            $message = (string) $field['message'];

            return new \UnexpectedValueException($message !== '' ? Text::_($message) : Text::sprintf('JLIB_FORM_VALIDATE_FIELD_INVALID', $label));
        }

        return $valid;
    }

    /** FormHelper::loadClass('rule', $type): "a_b" is the namespace A\B (Normalise::toSpaceSeparated, ucwords), then ucfirst and "Rule". */
    private function ruleClass(string $type): ?string
    {
        $name = str_ireplace(' ', '\\', ucwords(preg_replace('#[ \-_]+#', ' ', $type) ?? $type));

        foreach ($this->rulePrefixes as $prefix) {
            $class = rtrim($prefix, '\\') . '\\' . ucfirst($name) . 'Rule';

            if (class_exists($class)) {
                return $class;
            }
        }

        return null;
    }

    /** @return \Exception[] */
    public function getErrors(): array
    {
        return $this->errors;
    }
}
