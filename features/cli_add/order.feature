Feature: Which error comes first
  A request can be wrong in several ways at once; the page lists its errors
  but not the order in which a target checks them. This kit's order, the one
  MOR's other calls follow: who is calling (Access Denied), then whether they
  signed (Incorrect hash), then whether they may (not authorised), then what
  they sent: device id, CLI number, device, IVR, numeric CLI, duplicates.

  @inferred
  Scenario: An unknown user is denied before the hash is looked at
    Given a request from an unknown user to add a fresh CLI to a device of the admin's user
    And it is signed with another key
    When it is sent
    Then the answer is the error "Access Denied"

  @inferred
  Scenario: A bad hash is refused before permissions are looked at
    Given the target checks hashes
    And a request from an accountant without Manage Devices to add a fresh CLI to a device of the admin's user
    And it is signed with another key
    When it is sent
    Then the answer is the error "Incorrect hash"

  @inferred
  Scenario: A missing device is reported before a missing CLI number
    Given a request from the admin to add a fresh CLI without a device
    And it has no cli_number
    When it is sent
    Then the answer is the error "Device ID cannot be empty"

  @inferred
  Scenario: An unknown IVR is reported before a non-numeric CLI
    Given a request from the admin to add a fresh CLI to a device of the admin's user
    And its cli_number is "12a45"
    And its ivr_id is an IVR that does not exist
    When it is sent
    Then the answer is the error "IVR was not found"

  @inferred
  Scenario: Permissions are looked at before the device
    Given a request from an accountant without Manage Devices to add a fresh CLI without a device
    When it is sent
    Then the answer is the error "You are not authorised to use this functionality"

  @inferred
  Scenario: A missing CLI number is reported before a device that does not exist
    Given a request from the admin to add a fresh CLI to a device that does not exist
    And it has no cli_number
    When it is sent
    Then the answer is the error "CLI Number cannot be empty"

  @inferred
  Scenario: A device that does not exist is reported before an unknown IVR
    Given a request from the admin to add a fresh CLI to a device that does not exist
    And its ivr_id is an IVR that does not exist
    When it is sent
    Then the answer is the error "Device was not found"
