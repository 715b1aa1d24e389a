/**
 * Choosing a model in a `ModelPicker` (a Radix Select) as a user does, for every page object:
 * open it, click the option, and see the choice in the trigger with the list closed. An option
 * clicked while the list is still opening can be swallowed, leaving the list open over the page
 * (and the next click on the page intercepted); the choice is then made again rather than the
 * test timing out a minute later on an unrelated button.
 */
import { expect, type Locator, type Page } from '@playwright/test';

export async function chooseModel(page: Page, trigger: Locator, id: string): Promise<void> {
  const list = page.getByRole('listbox');
  await expect(async () => {
    if (!(await list.isVisible())) await trigger.click();
    await page.getByTestId(`model-option-${id}`).click({ timeout: 2_000 });
    await expect(list).toBeHidden({ timeout: 2_000 });
    // The trigger shows the option's label, which starts with the model's name.
    await expect(trigger).toContainText(id.slice(id.indexOf(':') + 1), { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
}
