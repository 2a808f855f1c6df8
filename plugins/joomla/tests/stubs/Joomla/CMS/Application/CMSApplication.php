<?php

declare(strict_types=1);

namespace Joomla\CMS\Application;

use Joomla\CMS\Document\Document;
use Joomla\CMS\Language\Language;
use Joomla\CMS\User\User;
use Joomla\Input\Input;

/** Site or administrator application: a name, a document, an input, a user, a language. */
class CMSApplication implements CMSApplicationInterface
{
    public function __construct(
        private string $name,
        private ?Document $document,
        private ?User $identity,
        private Input $input = new Input(),
        private Language $language = new Language(),
    ) {
    }

    /** @var array<int, array{message: string, type: string}> */
    private array $messages = [];

    public function enqueueMessage($msg, $type = 'message')
    {
        $this->messages[] = ['message' => (string) $msg, 'type' => strtolower((string) $type)];
    }

    public function getMessageQueue($clear = false)
    {
        $messages = $this->messages;

        if ($clear) {
            $this->messages = [];
        }

        return $messages;
    }

    public function isClient($identifier)
    {
        return $this->name === $identifier;
    }

    public function getIdentity()
    {
        return $this->identity;
    }

    public function getDocument()
    {
        return $this->document;
    }

    public function getInput()
    {
        return $this->input;
    }

    public function getLanguage()
    {
        return $this->language;
    }
}
