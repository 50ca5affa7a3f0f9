Feature: Every documented error
  A client that sends a bad request must get the exact error the spec
  documents, so that it can tell its user what to fix. Each message is quoted
  character for character from the page (note the British "authorised").

  @documented
  Scenario: A CLI that is not a number is refused
    Given a request from the admin to add a fresh CLI to a device of the admin's user
    And its cli_number is "12a45"
    When it is sent
    Then the answer is the error "CLI must be numeric"

  @documented
  Scenario: A request with neither CLI number nor domain is refused
    Given a request from the admin to add a fresh CLI to a device of the admin's user
    And it has no cli_number
    When it is sent
    Then the answer is the error "CLI Number cannot be empty"

  @documented
  Scenario: A CLI number sent empty is refused
    Given a request from the admin to add a fresh CLI to a device of the admin's user
    And its cli_number is ""
    When it is sent
    Then the answer is the error "CLI Number cannot be empty"

  @documented
  Scenario: A CLI number and a domain both sent empty are refused
    Given a request from the admin to add a fresh CLI to a device of the admin's user
    And its cli_number is ""
    And its cli_domain is ""
    When it is sent
    Then the answer is the error "CLI Number cannot be empty"

  @documented
  Scenario: An IVR that does not exist is refused
    Given a request from the admin to add a fresh CLI to a device of the admin's user
    And its ivr_id is an IVR that does not exist
    When it is sent
    Then the answer is the error "IVR was not found"
    And the CLI is stored exactly when it was acknowledged

  @documented
  Scenario: An ivr_id sent empty is refused
    "If IVR parameter is used, IVR id must be also specified."
    Given a request from the admin to add a fresh CLI to a device of the admin's user
    And its ivr_id is ""
    When it is sent
    Then the answer is the error "IVR was not found"

  @documented
  Scenario: A request without a device is refused
    Given a request from the admin to add a fresh CLI without a device
    When it is sent
    Then the answer is the error "Device ID cannot be empty"

  @documented
  Scenario: A device_id sent empty is refused
    Given a request from the admin to add a fresh CLI to a device of the admin's user
    And its device_id is ""
    When it is sent
    Then the answer is the error "Device ID cannot be empty"

  @documented
  Scenario: An unknown user is denied
    Given a request from an unknown user to add a fresh CLI to a device of the admin's user
    When it is sent
    Then the answer is the error "Access Denied"
    And nothing was stored: the admin can still add the same CLI to a device of the admin's user

  @documented
  Scenario: A wrong password is denied
    Given a request from the admin to add a fresh CLI to a device of the admin's user
    And it carries the wrong password
    When it is sent
    Then the answer is the error "Access Denied"

  @documented
  Scenario: An accountant without Manage Devices is refused
    Given a request from an accountant without Manage Devices to add a fresh CLI to a device of the admin's user
    When it is sent
    Then the answer is the error "You are not authorised to use this functionality"
    And nothing was stored: the admin can still add the same CLI to a device of the admin's user
