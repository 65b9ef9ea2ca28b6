import type { StorybookConfig } from '@storybook/react-vite'

const config: StorybookConfig = {
  // Docs pages come from autodocs; a pattern that matches no file (`*.mdx`) warns on every start.
  stories: ['../stories/**/*.stories.tsx'],
  addons: ['@storybook/addon-docs'],
  framework: {
    name: '@storybook/react-vite',
    // The library's vite.config.ts builds the package (library mode); stories need an app build.
    options: { builder: { viteConfigPath: '.storybook/vite.config.ts' } },
  },
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  typescript: { reactDocgen: 'react-docgen' },
  // The demos are the landing page: no onboarding checklist in the sidebar or the menu.
  features: { sidebarOnboardingChecklist: false, menuOnboardingChecklist: false },
}

export default config
