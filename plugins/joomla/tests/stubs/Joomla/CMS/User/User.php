<?php

declare(strict_types=1);

namespace Joomla\CMS\User;

/** Public properties as Joomla's; authorised groups and view levels given by the test. */
class User
{
    public $id = 0;
    public $name = '';
    public $username = '';
    public $email = '';
    public $guest = 1;

    /** @var int[] */
    private array $authorisedGroups;

    /** @var int[] */
    private array $authorisedViewLevels;

    /**
     * @param int[] $groups
     * @param int[] $viewLevels
     */
    public function __construct(array $properties = [], array $groups = [1], array $viewLevels = [1])
    {
        foreach ($properties as $key => $value) {
            $this->$key = $value;
        }

        $this->authorisedGroups     = $groups;
        $this->authorisedViewLevels = $viewLevels;
    }

    public function getAuthorisedGroups()
    {
        return $this->authorisedGroups;
    }

    public function getAuthorisedViewLevels()
    {
        return $this->authorisedViewLevels;
    }
}
