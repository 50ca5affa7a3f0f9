Feature: What clients in the wild send
  A later revision of the page lists device_id first, and a public PHP client
  library signs cli_add over device_id and cli_number only, posting its
  parameters, u and p included, as a JSON body. A target that wants those
  clients to work accepts them too. These scenarios are reported apart from
  the documented ones.

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
  Scenario: A hash over device_id then cli_number is accepted
    Given a request from the admin to add a fresh CLI to a device of the admin's user
    And it is signed over device_id and cli_number only
    When it is sent
    Then the answer is the status "CLI successfully created"

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
