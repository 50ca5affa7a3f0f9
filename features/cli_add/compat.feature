Feature: What clients in the wild send
  A later revision of the page lists device_id first, and a public PHP client
  library signs cli_add over device_id and cli_number only, posting its
  parameters, u and p included, as a JSON body. A target that wants those
  clients to work accepts them too. These scenarios are reported apart from
  the documented ones.

  The client library's hash leaves every optional field unsigned. This kit
  accepts it only where it is also the later revision's hash, that is when no
  optional field is sent; with a description, comment, banned flag or IVR the
  fields would travel unsigned, and the request is refused.

  @compat
  Scenario: Parameters in a JSON body are read
    Given a request from the admin to add a fresh CLI to a device of the admin's user
    And it carries the right password
    And it is sent as a JSON body
    When it is sent
    Then the answer is the status "CLI successfully created"

  @compat
  Scenario: Parameters in a form body are read
    Given a request from the admin to add a fresh CLI to a device of the admin's user
    And its comment is "sent as a form"
    And it is sent as a form body
    When it is sent
    Then the answer is the status "CLI successfully created"

  @compat
  Scenario: The client library's hash over device_id then cli_number is accepted without optional fields
    Given a request from the admin to add a fresh CLI to a device of the admin's user
    And it is signed over device_id and cli_number only
    When it is sent
    Then the answer is the status "CLI successfully created"

  @inferred
  Scenario: The client library's hash is refused when optional fields would go unsigned
    Given the target checks hashes
    And a request from the admin to add a fresh CLI to a device of the admin's user
    And its cli_description is "unsigned description"
    And it is signed over device_id and cli_number only
    When it is sent
    Then the answer is the error "Incorrect hash"

  @compat
  Scenario: A hash in the later revision's order is accepted
    Given a request from the admin to add a fresh CLI to a device of the admin's user
    And its cli_description is "desc"
    And its comment is "note"
    And its banned is "1"
    And its ivr_id is the admin's IVR
    And it is signed in the later revision's order, device_id first
    When it is sent
    Then the answer is the status "CLI successfully created"
