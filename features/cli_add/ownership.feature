Feature: Who may add a CLI where
  "Please note that admin/reseller can create CLI just for their own Users
  Devices." That rule is the page's own: a target must refuse the rest and
  store nothing. The page does not say what a caller is told about a device
  that is not theirs, or that does not exist; sibling calls of the same API
  answer "Device was not found", and so does this kit. Answering the same for
  both also keeps a caller from probing which device ids exist elsewhere.

  @documented
  Scenario: A reseller cannot add a CLI to a device that is not its user's
    Given a request from the reseller to add a fresh CLI to a device of the admin's user
    When it is sent
    Then the answer is an error
    And nothing was stored: the admin can still add the same CLI to a device of the admin's user

  @documented
  Scenario: The admin cannot add a CLI to a device that is not its user's
    Given a request from the admin to add a fresh CLI to a device of the reseller's user
    When it is sent
    Then the answer is an error
    And nothing was stored: the reseller can still add the same CLI to a device of the reseller's user

  @inferred
  Scenario: A reseller cannot add a CLI to a device of the admin's user
    Given a request from the reseller to add a fresh CLI to a device of the admin's user
    When it is sent
    Then the answer is the error "Device was not found"

  @inferred
  Scenario: The admin cannot add a CLI to a device of a reseller's user
    "Their own users" are the users an account owns directly.
    Given a request from the admin to add a fresh CLI to a device of the reseller's user
    When it is sent
    Then the answer is the error "Device was not found"

  @inferred
  Scenario: A device that does not exist is not found
    Given a request from the admin to add a fresh CLI to a device that does not exist
    When it is sent
    Then the answer is the error "Device was not found"

  @inferred
  Scenario: A simple user is not authorised to add a CLI
    Given a request from a simple user to add a fresh CLI to a device of the admin's user
    When it is sent
    Then the answer is the error "You are not authorised to use this functionality"

  @inferred
  Scenario: A reseller cannot use the admin's IVR
    Given a request from the reseller to add a fresh CLI to a device of the reseller's user
    And its ivr_id is the admin's IVR
    When it is sent
    Then the answer is the error "IVR was not found"
