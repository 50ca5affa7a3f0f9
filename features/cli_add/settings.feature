Feature: API-wide settings
  MOR's API is switched on and off per system, and answering GET requests is
  an opt-in "for testing" setting; POST is the normal method. The profile says
  how the target is set up, and the suite expects the answer that setting
  gives.

  @inferred
  Scenario: A GET request is answered as the target's settings say
    Given a request from the admin to add a fresh CLI to a device of the admin's user
    And it is sent with GET
    When it is sent
    Then the answer is the error "GET Requests are disabled" if the target refuses GET, otherwise the status "CLI successfully created"
