Feature: The request signature
  The hash proves the caller knows the API secret key. It is the SHA1, in
  lower-case hex, of the values of cli_number, cli_description, comment,
  banned, ivr_id and device_id, concatenated in that order, followed by the
  key. u, p, cli_domain, test and hash itself are not part of it; a parameter that
  is not sent contributes nothing. A target that does not check hashes (its
  profile says so) skips the refusals here.

  @documented
  Scenario: Optional parameters are hashed in the documented order
    Given a request from the admin to add a fresh CLI to a device of the admin's user
    And its cli_description is "desc"
    And its comment is "note"
    And its banned is "0"
    And its ivr_id is the admin's IVR
    When it is sent
    Then the answer is the status "CLI successfully created"

  @documented
  Scenario: An absent optional parameter contributes nothing to the hash
    Given a request from the admin to add a fresh CLI to a device of the admin's user
    And its comment is "only a comment"
    When it is sent
    Then the answer is the status "CLI successfully created"

  @documented
  Scenario: cli_domain is outside the hash
    Given a request from the admin to add a fresh CLI to a device of the admin's user
    And it also gives a fresh cli_domain
    When it is sent
    Then the answer is the status "CLI successfully created"

  @documented
  Scenario: The username and the password are outside the hash
    Given a request from the admin to add a fresh CLI to a device of the admin's user
    And it carries the right password
    When it is sent
    Then the answer is the status "CLI successfully created"

  @errata
  Scenario: test=1 is outside the hash
    The spec's example sends test=1, which the parameter list does not name;
    the kit treats it as outside the hash and without effect.
    Given a request from the admin to add a fresh CLI to a device of the admin's user
    And its test is "1"
    When it is sent
    Then the answer is the status "CLI successfully created"

  @documented
  Scenario: A hash signed with another key is refused
    Given the target checks hashes
    And a request from the admin to add a fresh CLI to a device of the admin's user
    And it is signed with another key
    When it is sent
    Then the answer is the error "Incorrect hash"

  @documented
  Scenario: A hash over the values in another order is refused
    Given the target checks hashes
    And a request from the admin to add a fresh CLI to a device of the admin's user
    And its cli_description is "desc"
    And its comment is "note"
    And its banned is "1"
    And its ivr_id is the admin's IVR
    And its hash covers the values in reverse order
    When it is sent
    Then the answer is the error "Incorrect hash"

  @documented
  Scenario: A request without a hash is refused
    Given the target checks hashes
    And a request from the admin to add a fresh CLI to a device of the admin's user
    And it carries no hash
    When it is sent
    Then the answer is the error "Incorrect hash"

  @inferred
  Scenario: A reseller signing with the admin's key is refused
    Each admin and each reseller has an API secret key of its own.
    Given the target checks hashes
    And a request from the reseller to add a fresh CLI to a device of the reseller's user
    And it is signed with the admin's key
    When it is sent
    Then the answer is the error "Incorrect hash"
