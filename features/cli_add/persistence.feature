Feature: A created CLI stays, and belongs to one device
  Once a target has said "CLI successfully created", the CLI is there: adding
  it again is refused with "CLI already exists. It is assigned to user_name
  device", where user_name names the owner of the device that holds it. The
  page does not say how the owner is named; this kit expects the owner's first
  and last name, or the username where both are blank (the profile may give a
  display_name instead). {the admin's user} in a message stands for that name.

  @documented
  Scenario: Adding a CLI again names the owner of its device
    Given a request from the admin to add a fresh CLI to a device of the admin's user
    And it is sent
    And the answer is the status "CLI successfully created"
    When it is sent again
    Then the answer is the error "CLI already exists. It is assigned to {the admin's user} device"

  @documented
  Scenario: A CLI cannot be added to a second device either
    Given a request from the admin to add a fresh CLI to a device of the admin's user
    And it is sent
    And the answer is the status "CLI successfully created"
    When it is sent again to another device of the admin's user
    Then the answer is the error "CLI already exists. It is assigned to {the admin's user} device"

  @documented
  Scenario: The error names the owner of the device that holds the CLI, not the asker's
    The reseller asks for a CLI the admin's user already holds: the message
    names the admin's user, whose device has it, not the reseller's user.
    Given a request from the admin to add a fresh CLI to a device of the admin's user
    And it is sent
    And the answer is the status "CLI successfully created"
    When the reseller asks for the same CLI for a device of the reseller's user
    Then the answer is the error "CLI already exists. It is assigned to {the admin's user} device"

  @documented
  Scenario: An owner without first and last name is named by username
    Given a request from the reseller to add a fresh CLI to a device of the reseller's user
    And it is sent
    And the answer is the status "CLI successfully created"
    When it is sent again
    Then the answer is the error "CLI already exists. It is assigned to {the reseller's user} device"

  @documented
  Scenario: A CLI given by domain is not added twice
    Given a request from the admin to add a fresh CLI to a device of the admin's user
    And it gives a fresh cli_domain instead of a cli_number
    And it is sent
    And the answer is the status "CLI successfully created"
    When it is sent again
    Then the answer is the error "CLI already exists. It is assigned to {the admin's user} device"

  @documented
  Scenario: Twenty simultaneous adds of one CLI create it exactly once
    Once one of them is created, each other is a CLI that already exists.
    Given a request from the admin to add a fresh CLI to a device of the admin's user
    When 20 copies of it are sent at once
    Then exactly one answer is the status "CLI successfully created"
    And every other answer is the error "CLI already exists. It is assigned to {the admin's user} device"
