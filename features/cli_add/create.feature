Feature: Adding a CLI to a device
  An admin or reseller gives a device another caller-line identity: a number
  (or a SIP domain), with an optional description, comment, banned flag and
  IVR. "Please note that admin/reseller can create CLI just for their own
  Users Devices." Every scenario adds CLI numbers no earlier run has used, so
  the suite can run again and again against the same target.

  @documented
  Scenario: The admin adds a CLI with only the required parameters
    Given a request from the admin to add a fresh CLI to a device of the admin's user
    When it is sent
    Then the answer is the status "CLI successfully created"

  @documented
  Scenario: The admin adds a banned CLI with every optional field
    Given a request from the admin to add a fresh CLI to a device of the admin's user
    And its cli_description is "front desk line"
    And its comment is "added by morcheck"
    And its banned is "1"
    And its ivr_id is the admin's IVR
    When it is sent
    Then the answer is the status "CLI successfully created"

  @documented
  Scenario: A CLI given by its domain alone is created
    cli_number is required only if cli_domain is empty, and cli_domain is not
    part of the hash.
    Given a request from the admin to add a fresh CLI to a device of the admin's user
    And it gives a fresh cli_domain instead of a cli_number
    When it is sent
    Then the answer is the status "CLI successfully created"

  @documented
  Scenario: A CLI given by its domain, with the number sent empty, is created
    Given a request from the admin to add a fresh CLI to a device of the admin's user
    And it gives a fresh cli_domain instead of a cli_number
    And its cli_number is ""
    When it is sent
    Then the answer is the status "CLI successfully created"

  @documented
  Scenario: A reseller adds a CLI to its own user's device, signed with its own key
    Given a request from the reseller to add a fresh CLI to a device of the reseller's user
    And its ivr_id is the reseller's IVR
    When it is sent
    Then the answer is the status "CLI successfully created"

  @documented
  Scenario: An accountant with Manage Devices adds a CLI for the admin
    Given a request from an accountant with Manage Devices to add a fresh CLI to a device of the admin's user
    When it is sent
    Then the answer is the status "CLI successfully created"
