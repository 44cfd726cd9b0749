//! Starting the renderer so that wgpu's OpenGL backend can draw into the window.
//!
//! bevy_render 0.19 creates its wgpu instance with no display handle (`display: None`). Vulkan
//! and DX12 do not mind, but wgpu 29's OpenGL backend then opens EGL on Mesa's *surfaceless*
//! platform: it finds the adapter, yet its surfaces report no present modes and Bevy panics
//! ("Fallback system failed to choose present mode … Options: []"). So [`Renderer`] stands in
//! for Bevy's `RenderPlugin` in the plugin group: when it is built (after `WinitPlugin`, which
//! holds the event loop's display), it creates the instance with that display, picks the
//! adapter and device the way bevy_render's `initialize_renderer` does, and hands them to a
//! `RenderPlugin` with `RenderCreation::Manual`, to which it forwards every plugin call.
//!
//! Backends: every one compiled in (Vulkan, DX12, Metal, and OpenGL through the `gles` feature),
//! or those `WGPU_BACKEND` names; wgpu ranks the adapters (hardware before software, then
//! Vulkan, Metal, DX12, GL). `WGPU_ADAPTER_NAME` and `WGPU_FORCE_FALLBACK_ADAPTER` work as in
//! Bevy. With no adapter at all it panics with Bevy's own "Unable to find a GPU" message, which
//! the app's panic hook turns into what to install.

use std::sync::{Arc, OnceLock};

use bevy::app::PluginGroupBuilder;
use bevy::prelude::*;
use bevy::render::RenderPlugin;
use bevy::render::renderer::{RenderAdapter, RenderAdapterInfo, RenderDevice, RenderInstance, RenderQueue, WgpuWrapper};
use bevy::render::settings::{RenderCreation, WgpuSettings};
use bevy::winit::DisplayHandleWrapper;

/// Bevy's message, kept so the panic hook (and anyone searching for it) recognises it.
pub const NO_GPU: &str = "Unable to find a GPU! Make sure you have installed required drivers!";

/// `DefaultPlugins` with [`Renderer`] in the place of Bevy's `RenderPlugin`.
pub fn default_plugins(group: PluginGroupBuilder) -> PluginGroupBuilder {
    group.disable::<RenderPlugin>().add_after::<RenderPlugin>(Renderer::default())
}

/// Bevy's `RenderPlugin`, created once the window system's display is known.
#[derive(Default)]
pub struct Renderer {
    inner: OnceLock<RenderPlugin>,
}

impl Plugin for Renderer {
    fn build(&self, app: &mut App) {
        let display = app.world().get_resource::<DisplayHandleWrapper>().map(|d| Box::new(d.0.clone()) as Box<dyn wgpu::wgt::WgpuHasDisplayHandle>);
        let resources = bevy::tasks::block_on(create(display, &WgpuSettings::default()));
        let Some(resources) = resources else { panic!("{NO_GPU}") };
        let plugin = self.inner.get_or_init(|| RenderPlugin { render_creation: resources, ..default() });
        plugin.build(app);
    }

    fn ready(&self, app: &App) -> bool {
        self.inner.get().is_none_or(|p| p.ready(app))
    }

    fn finish(&self, app: &mut App) {
        if let Some(p) = self.inner.get() {
            p.finish(app);
        }
    }

    fn cleanup(&self, app: &mut App) {
        if let Some(p) = self.inner.get() {
            p.cleanup(app);
        }
    }
}

/// The instance (told the display), adapter, device and queue; `None` when no adapter is found.
async fn create(display: Option<Box<dyn wgpu::wgt::WgpuHasDisplayHandle>>, options: &WgpuSettings) -> Option<RenderCreation> {
    let backends = options.backends?;
    let mut backend_options = wgpu::BackendOptions::from_env_or_default();
    backend_options.gl.gles_minor_version = options.gles3_minor_version;
    backend_options.dx12.shader_compiler = options.dx12_shader_compiler.clone();
    let instance = wgpu::Instance::new(wgpu::InstanceDescriptor {
        backends,
        flags: options.instance_flags,
        memory_budget_thresholds: options.instance_memory_budget_thresholds,
        display,
        backend_options,
    });
    let wanted_name = std::env::var("WGPU_ADAPTER_NAME").ok().map(|n| n.to_lowercase());
    let mut adapter = None;
    if let Some(name) = &wanted_name {
        adapter = instance.enumerate_adapters(backends).await.into_iter().find(|a| a.get_info().name.to_lowercase().contains(name.as_str()));
    }
    if adapter.is_none() {
        let force_fallback_adapter = std::env::var("WGPU_FORCE_FALLBACK_ADAPTER").map_or(options.force_fallback_adapter, |v| !(v.is_empty() || v == "0" || v == "false"));
        let request = wgpu::RequestAdapterOptions { power_preference: options.power_preference, compatible_surface: None, force_fallback_adapter };
        adapter = instance.request_adapter(&request).await.ok();
    }
    let adapter = adapter?;
    let info = adapter.get_info();
    info!("renderer: {:?} on {} ({:?}, {} {})", info.backend, info.name, info.device_type, info.driver, info.driver_info);

    // As bevy_render does for `WgpuSettingsPriority::Functionality`: what the adapter offers,
    // less the experimental features (they need an unsafe opt-in this crate does not make).
    let mut features = adapter.features()
        - (wgpu::Features::EXPERIMENTAL_RAY_QUERY
            | wgpu::Features::EXPERIMENTAL_MESH_SHADER
            | wgpu::Features::EXPERIMENTAL_RAY_HIT_VERTEX_RETURN
            | wgpu::Features::EXPERIMENTAL_MESH_SHADER_MULTIVIEW
            | wgpu::Features::EXPERIMENTAL_MESH_SHADER_POINTS
            | wgpu::Features::EXPERIMENTAL_COOPERATIVE_MATRIX);
    if info.device_type == wgpu::DeviceType::DiscreteGpu {
        features.remove(wgpu::Features::MAPPABLE_PRIMARY_BUFFERS);
    }
    features |= options.features;
    let descriptor = wgpu::DeviceDescriptor {
        label: options.device_label.as_deref(),
        required_features: features,
        required_limits: adapter.limits(),
        experimental_features: wgpu::ExperimentalFeatures::disabled(),
        memory_hints: options.memory_hints.clone(),
        trace: wgpu::Trace::Off,
    };
    let (device, queue) = match adapter.request_device(&descriptor).await {
        Ok(dq) => dq,
        Err(e) => {
            error!("the {:?} adapter {} gave no device: {e}", info.backend, info.name);
            return None;
        }
    };
    Some(RenderCreation::manual(
        RenderDevice::from(device),
        RenderQueue(Arc::new(WgpuWrapper::new(queue))),
        RenderAdapterInfo(WgpuWrapper::new(info)),
        RenderAdapter(Arc::new(WgpuWrapper::new(adapter))),
        RenderInstance(Arc::new(WgpuWrapper::new(instance))),
    ))
}
